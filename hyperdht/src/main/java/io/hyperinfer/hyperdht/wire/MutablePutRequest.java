package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * The value of a MUTABLE_PUT request ({@code lib/messages.js mutablePutRequest}).
 *
 * <pre>
 * publicKey (32) | seq (uint) | value (buffer) | signature (64)
 * </pre>
 *
 * @param publicKey the signer; the target is its hash. Not copied: treat as immutable
 * @param seq the sequence number
 * @param value the value. Not copied: treat as immutable
 * @param signature Ed25519 over {@code NS_MUTABLE_PUT ‖ hash(mutableSignable)}. Not copied: treat as immutable
 */
public record MutablePutRequest(byte[] publicKey, long seq, byte[] value, byte[] signature) {
  /** Validates sizes. */
  public MutablePutRequest {
    if (publicKey == null || publicKey.length != 32 || value == null || signature == null || signature.length != 64) {
      throw new IllegalArgumentException("a mutable put needs a 32-byte key, a value and a 64-byte signature");
    }
    Uints.require(seq, "seq");
  }

  /** The record a storing node keeps and returns for MUTABLE_GET. */
  public MutableGetResponse stored() {
    return new MutableGetResponse(seq, value, signature);
  }

  /** The message codec. */
  public static final Codec<MutablePutRequest> CODEC = new Codec<>() {
    @Override
    public int encodedLength(MutablePutRequest m) {
      return 32 + Buf.uintLength(m.seq) + Compact.BUFFER.encodedLength(m.value) + 64;
    }

    @Override
    public void encode(MutablePutRequest m, Buf buf) {
      buf.writeBytes(m.publicKey);
      buf.writeUint(m.seq);
      Compact.BUFFER.encode(m.value, buf);
      buf.writeBytes(m.signature);
    }

    @Override
    public MutablePutRequest decode(Buf buf) {
      byte[] publicKey = Compact.FIXED32.decode(buf);
      long seq = buf.readUint();
      byte[] value = Compact.BUFFER.decode(buf);
      return new MutablePutRequest(publicKey, seq, value, Compact.FIXED64.decode(buf));
    }
  };
}
