package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * A stored mutable record, the value of a MUTABLE_GET reply ({@code lib/messages.js mutableGetResponse}).
 *
 * <pre>
 * seq (uint) | value (buffer) | signature (64)
 * </pre>
 *
 * @param seq the sequence number
 * @param value the value. Not copied: treat as immutable
 * @param signature the writer's signature. Not copied: treat as immutable
 */
public record MutableGetResponse(long seq, byte[] value, byte[] signature) {
  /** Validates sizes. */
  public MutableGetResponse {
    Uints.require(seq, "seq");
    if (value == null || signature == null || signature.length != 64) {
      throw new IllegalArgumentException("a mutable record needs a value and a 64-byte signature");
    }
  }

  /** The message codec. */
  public static final Codec<MutableGetResponse> CODEC = new Codec<>() {
    @Override
    public int encodedLength(MutableGetResponse m) {
      return Buf.uintLength(m.seq) + Compact.BUFFER.encodedLength(m.value) + 64;
    }

    @Override
    public void encode(MutableGetResponse m, Buf buf) {
      buf.writeUint(m.seq);
      Compact.BUFFER.encode(m.value, buf);
      buf.writeBytes(m.signature);
    }

    @Override
    public MutableGetResponse decode(Buf buf) {
      long seq = buf.readUint();
      byte[] value = Compact.BUFFER.decode(buf);
      return new MutableGetResponse(seq, value, Compact.FIXED64.decode(buf));
    }
  };
}
