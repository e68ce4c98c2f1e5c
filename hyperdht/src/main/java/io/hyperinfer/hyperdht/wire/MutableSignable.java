package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * What a mutable record's signature covers, hashed ({@code lib/messages.js mutableSignable}):
 * {@code seq (uint) | value (buffer)}.
 *
 * @param seq the record's sequence number
 * @param value the stored value. Not copied: treat as immutable
 */
public record MutableSignable(long seq, byte[] value) {
  /** The value is required; seq is a uint. */
  public MutableSignable {
    Uints.require(seq, "seq");
    if (value == null) {
      throw new IllegalArgumentException("value must not be null");
    }
  }

  /** The message codec. */
  public static final Codec<MutableSignable> CODEC = new Codec<>() {
    @Override
    public int encodedLength(MutableSignable m) {
      return Buf.uintLength(m.seq) + Compact.BUFFER.encodedLength(m.value);
    }

    @Override
    public void encode(MutableSignable m, Buf buf) {
      buf.writeUint(m.seq);
      Compact.BUFFER.encode(m.value, buf);
    }

    @Override
    public MutableSignable decode(Buf buf) {
      long seq = buf.readUint();
      return new MutableSignable(seq, Compact.BUFFER.decode(buf));
    }
  };
}
