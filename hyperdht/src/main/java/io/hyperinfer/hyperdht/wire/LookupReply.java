package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import java.util.List;

/**
 * A LOOKUP reply value ({@code lib/messages.js lookupRawReply}): the records a node holds for a topic and the topic's
 * bump.
 *
 * <pre>
 * peers (array of peer) | bump (uint; always written, read only when bytes are left)
 * </pre>
 *
 * @param peers at most 20 records, in the node's (random) order
 * @param bump the highest accepted bump for the topic, 0 when none
 */
public record LookupReply(List<Peer> peers, long bump) {
  /** Copies the list; the bump is a uint. */
  public LookupReply {
    if (peers == null) {
      throw new IllegalArgumentException("peers must not be null");
    }
    peers = List.copyOf(peers);
    Uints.require(bump, "bump");
  }

  /** The message codec. */
  public static final Codec<LookupReply> CODEC = new Codec<>() {
    @Override
    public int encodedLength(LookupReply m) {
      return Peer.LIST.encodedLength(m.peers) + Buf.uintLength(m.bump);
    }

    @Override
    public void encode(LookupReply m, Buf buf) {
      Peer.LIST.encode(m.peers, buf);
      buf.writeUint(m.bump);
    }

    @Override
    public LookupReply decode(Buf buf) {
      List<Peer> peers = Peer.LIST.decode(buf);
      return new LookupReply(peers, buf.remaining() > 0 ? buf.readUint() : 0);
    }
  };
}
