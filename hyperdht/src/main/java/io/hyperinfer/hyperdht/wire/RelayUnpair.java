package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Bitfield;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * A blind-relay cancellation ({@code blind-relay} 1.6.1 {@code messages.unpair}, message type 1): the relay forgets a
 * pending pairing for the token, or tears down the link it made for it.
 *
 * <pre>
 * flags (bitfield(0), written 0, ignored) | token (32)
 * </pre>
 *
 * @param token the pairing token. Not copied: treat as immutable
 */
public record RelayUnpair(byte[] token) {
  private static final Codec<Long> FLAGS = Bitfield.of(7);

  /** Validates the size. */
  public RelayUnpair {
    if (token == null || token.length != 32) {
      throw new IllegalArgumentException("a relay token is 32 bytes");
    }
  }

  /** The message codec. */
  public static final Codec<RelayUnpair> CODEC = new Codec<>() {
    @Override
    public int encodedLength(RelayUnpair m) {
      return 1 + 32;
    }

    @Override
    public void encode(RelayUnpair m, Buf buf) {
      FLAGS.encode(0L, buf);
      buf.writeBytes(m.token);
    }

    @Override
    public RelayUnpair decode(Buf buf) {
      FLAGS.decode(buf);
      return new RelayUnpair(Compact.FIXED32.decode(buf));
    }
  };
}
