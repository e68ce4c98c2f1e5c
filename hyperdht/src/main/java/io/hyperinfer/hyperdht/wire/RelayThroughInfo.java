package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * A blind relay a peer wants the connection to go through ({@code lib/messages.js relayThroughInfo}).
 *
 * <pre>
 * version (uint, 1) | flags (uint, 0; ignored on decode) | publicKey (32) | token (32)
 * </pre>
 *
 * @param version the version; JS always writes 1
 * @param publicKey the relay's public key. Not copied: treat as immutable
 * @param token the pairing token both peers give the relay. Not copied: treat as immutable
 */
public record RelayThroughInfo(long version, byte[] publicKey, byte[] token) {
  /** Validates sizes. */
  public RelayThroughInfo {
    Uints.require(version, "version");
    if (publicKey == null || publicKey.length != 32 || token == null || token.length != 32) {
      throw new IllegalArgumentException("relayThrough needs a 32-byte public key and a 32-byte token");
    }
  }

  /** Version 1 info, as JS sends. */
  public static RelayThroughInfo of(byte[] publicKey, byte[] token) {
    return new RelayThroughInfo(1, publicKey, token);
  }

  /** The message codec. */
  public static final Codec<RelayThroughInfo> CODEC = new Codec<>() {
    @Override
    public int encodedLength(RelayThroughInfo m) {
      return Buf.uintLength(m.version) + 1 + 64;
    }

    @Override
    public void encode(RelayThroughInfo m, Buf buf) {
      buf.writeUint(m.version);
      buf.writeUint(0);
      buf.writeBytes(m.publicKey);
      buf.writeBytes(m.token);
    }

    @Override
    public RelayThroughInfo decode(Buf buf) {
      long version = buf.readUint();
      buf.readUint();
      byte[] publicKey = Compact.FIXED32.decode(buf);
      return new RelayThroughInfo(version, publicKey, Compact.FIXED32.decode(buf));
    }
  };
}
