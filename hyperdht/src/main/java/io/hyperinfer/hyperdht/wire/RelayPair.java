package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Bitfield;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;

/**
 * A blind-relay pairing request or answer ({@code blind-relay} 1.6.1 {@code messages.pair}, message type 0 of the
 * {@code blind-relay} protomux channel). A peer sends its UDX stream id; the relay answers each peer with the id of the
 * stream it opened for that peer's side of the link.
 *
 * <pre>
 * flags (bitfield(7): 1 isInitiator) | token (32) | id (uint) | seq (uint)
 * </pre>
 *
 * @param initiator which end of the link this is (the two peers of one token must differ)
 * @param token the pairing token both peers give the relay. Not copied: treat as immutable
 * @param id the sender's UDX stream id (a uint32)
 * @param seq the stream's first sequence number (JS always 0)
 */
public record RelayPair(boolean initiator, byte[] token, long id, long seq) {
  private static final Codec<Long> FLAGS = Bitfield.of(7);

  /** Validates sizes and ranges. */
  public RelayPair {
    if (token == null || token.length != 32) {
      throw new IllegalArgumentException("a relay token is 32 bytes");
    }
    if (id < 0 || id > 0xFFFF_FFFFL || !Uints.valid(seq)) {
      throw new IllegalArgumentException("a relay stream id is a uint32 and seq a uint: " + id + ", " + seq);
    }
  }

  /** The message codec. */
  public static final Codec<RelayPair> CODEC = new Codec<>() {
    @Override
    public int encodedLength(RelayPair m) {
      return 1 + 32 + Buf.uintLength(m.id) + Buf.uintLength(m.seq);
    }

    @Override
    public void encode(RelayPair m, Buf buf) {
      FLAGS.encode(m.initiator ? 1L : 0L, buf);
      buf.writeBytes(m.token);
      buf.writeUint(m.id);
      buf.writeUint(m.seq);
    }

    @Override
    public RelayPair decode(Buf buf) {
      boolean initiator = Bitfield.isSet(FLAGS.decode(buf), 0);
      byte[] token = Compact.FIXED32.decode(buf);
      long id = buf.readUint();
      long seq = buf.readUint();
      if (id > 0xFFFF_FFFFL) {
        throw DecodeException.outOfRange("relay stream id " + id);
      }
      return new RelayPair(initiator, token, id, seq);
    }
  };
}
