package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;

/**
 * The value of a PEER_HOLEPUNCH request or response ({@code lib/messages.js holepunch}): an encrypted
 * {@link HolepunchPayload} on its way between client and server.
 *
 * <pre>
 * flags (uint: 1 peerAddress) | mode (uint) | id (uint) | payload (buffer) | [peerAddress ipv4]
 * </pre>
 *
 * @param mode where the message is in its trip
 * @param id the server's handshake slot this round belongs to
 * @param payload nonce and secretbox of a {@link HolepunchPayload} (never null). Not copied: treat as immutable
 * @param peerAddress the server's address (client requests), the client's (relayed), or null
 */
public record Holepunch(RouteMode mode, long id, byte[] payload, HostPort peerAddress) {
  private static final int PEER_ADDRESS = 1;

  /** Validates the fields. */
  public Holepunch {
    if (mode == null || payload == null || !Uints.valid(id)) {
      throw new IllegalArgumentException("a holepunch needs a mode, a uint id and a payload");
    }
    Ipv4.optional(peerAddress, "peerAddress");
  }

  /** The message codec. */
  public static final Codec<Holepunch> CODEC = new Codec<>() {
    @Override
    public int encodedLength(Holepunch m) {
      return 2 + Buf.uintLength(m.id) + Compact.BUFFER.encodedLength(m.payload) + (m.peerAddress != null ? 6 : 0);
    }

    @Override
    public void encode(Holepunch m, Buf buf) {
      buf.writeUint(m.peerAddress != null ? PEER_ADDRESS : 0);
      buf.writeUint(m.mode.wire());
      buf.writeUint(m.id);
      Compact.BUFFER.encode(m.payload, buf);
      if (m.peerAddress != null) {
        Ipv4.ADDRESS.encode(m.peerAddress, buf);
      }
    }

    @Override
    public Holepunch decode(Buf buf) {
      long flags = buf.readUint();
      RouteMode mode = RouteMode.fromWire(buf.readUint());
      long id = buf.readUint();
      byte[] payload = Compact.BUFFER.decode(buf);
      HostPort peer = (flags & PEER_ADDRESS) != 0 ? Ipv4.ADDRESS.decode(buf) : null;
      return new Holepunch(mode, id, payload, peer);
    }
  };
}
