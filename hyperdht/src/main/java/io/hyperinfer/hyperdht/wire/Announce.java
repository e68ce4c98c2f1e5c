package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * The value of an ANNOUNCE or UNANNOUNCE request ({@code lib/messages.js announce}).
 *
 * <pre>
 * flags (uint: 1 peer, 2 refresh, 4 signature, 8 bump)
 * [peer] | [refresh 32] | [signature 64] | [bump uint]
 * </pre>
 *
 * <p>The JS announcer sends peer and signature (flags 5); a refresh-only announce carries just {@code refresh}.
 *
 * @param peer the record to store, or null (then {@code refresh} must be set for the node to act)
 * @param refresh the next link of a refresh chain, or null. Not copied: treat as immutable
 * @param signature Ed25519 over the announce signable, or null. Not copied: treat as immutable
 * @param bump a topic bump in milliseconds since the epoch, 0 when none (0 is not written)
 */
public record Announce(Peer peer, byte[] refresh, byte[] signature, long bump) {
  private static final int PEER = 1;
  private static final int REFRESH = 2;
  private static final int SIGNATURE = 4;
  private static final int BUMP = 8;

  /** Validates sizes. */
  public Announce {
    if ((refresh != null && refresh.length != 32) || (signature != null && signature.length != 64)) {
      throw new IllegalArgumentException("refresh is 32 bytes and signature 64");
    }
    Uints.require(bump, "bump");
  }

  /** The message codec. */
  public static final Codec<Announce> CODEC = new Codec<>() {
    @Override
    public int encodedLength(Announce m) {
      return 1 + (m.peer != null ? Peer.CODEC.encodedLength(m.peer) : 0) + (m.refresh != null ? 32 : 0)
          + (m.signature != null ? 64 : 0) + (m.bump != 0 ? Buf.uintLength(m.bump) : 0);
    }

    @Override
    public void encode(Announce m, Buf buf) {
      buf.writeUint((m.peer != null ? PEER : 0) | (m.refresh != null ? REFRESH : 0)
          | (m.signature != null ? SIGNATURE : 0) | (m.bump != 0 ? BUMP : 0));
      if (m.peer != null) {
        Peer.CODEC.encode(m.peer, buf);
      }
      if (m.refresh != null) {
        buf.writeBytes(m.refresh);
      }
      if (m.signature != null) {
        buf.writeBytes(m.signature);
      }
      if (m.bump != 0) {
        buf.writeUint(m.bump);
      }
    }

    @Override
    public Announce decode(Buf buf) {
      long flags = buf.readUint();
      Peer peer = (flags & PEER) != 0 ? Peer.CODEC.decode(buf) : null;
      byte[] refresh = (flags & REFRESH) != 0 ? Compact.FIXED32.decode(buf) : null;
      byte[] signature = (flags & SIGNATURE) != 0 ? Compact.FIXED64.decode(buf) : null;
      return new Announce(peer, refresh, signature, (flags & BUMP) != 0 ? buf.readUint() : 0);
    }
  };
}
