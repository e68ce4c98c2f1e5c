package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;

/**
 * Says the peer speaks secret-stream over the raw stream ({@code lib/messages.js secretStreamInfo}):
 * {@code version (uint, 1)}.
 *
 * @param version the version; JS always writes 1
 */
public record SecretStreamInfo(long version) {
  /** Version 1, as every JS peer sends. */
  public static final SecretStreamInfo V1 = new SecretStreamInfo(1);

  /** The version is a uint. */
  public SecretStreamInfo {
    Uints.require(version, "version");
  }

  /** The message codec. */
  public static final Codec<SecretStreamInfo> CODEC = new Codec<>() {
    @Override
    public int encodedLength(SecretStreamInfo m) {
      return Buf.uintLength(m.version);
    }

    @Override
    public void encode(SecretStreamInfo m, Buf buf) {
      buf.writeUint(m.version);
    }

    @Override
    public SecretStreamInfo decode(Buf buf) {
      return new SecretStreamInfo(buf.readUint());
    }
  };
}
