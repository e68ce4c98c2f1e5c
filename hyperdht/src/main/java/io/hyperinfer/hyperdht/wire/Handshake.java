package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;

/**
 * The value of a PEER_HANDSHAKE request or response ({@code lib/messages.js handshake}): a Noise message on its way
 * between client and server, with the addresses the relays need.
 *
 * <pre>
 * flags (uint: 1 peerAddress, 2 relayAddress) | mode (uint) | noise (buffer) | [peerAddress ipv4] | [relayAddress ipv4]
 * </pre>
 *
 * @param mode where the message is in its trip
 * @param noise the Noise message (may be empty; never null). Not copied: treat as immutable
 * @param peerAddress the client's address (relayed requests), the server's (relayed replies), or null
 * @param relayAddress the relay to send the server's answer to (FROM_SECOND_RELAY), or a relay the client asks the
 *     node to use (FROM_CLIENT), or null
 */
public record Handshake(RouteMode mode, byte[] noise, HostPort peerAddress, HostPort relayAddress) {
  private static final int PEER_ADDRESS = 1;
  private static final int RELAY_ADDRESS = 2;

  /** Validates the fields. */
  public Handshake {
    if (mode == null || noise == null) {
      throw new IllegalArgumentException("a handshake needs a mode and a noise message");
    }
    Ipv4.optional(peerAddress, "peerAddress");
    Ipv4.optional(relayAddress, "relayAddress");
  }

  /** The message codec. */
  public static final Codec<Handshake> CODEC = new Codec<>() {
    @Override
    public int encodedLength(Handshake m) {
      return 1 + 1 + Compact.BUFFER.encodedLength(m.noise) + (m.peerAddress != null ? 6 : 0)
          + (m.relayAddress != null ? 6 : 0);
    }

    @Override
    public void encode(Handshake m, Buf buf) {
      buf.writeUint((m.peerAddress != null ? PEER_ADDRESS : 0) | (m.relayAddress != null ? RELAY_ADDRESS : 0));
      buf.writeUint(m.mode.wire());
      Compact.BUFFER.encode(m.noise, buf);
      if (m.peerAddress != null) {
        Ipv4.ADDRESS.encode(m.peerAddress, buf);
      }
      if (m.relayAddress != null) {
        Ipv4.ADDRESS.encode(m.relayAddress, buf);
      }
    }

    @Override
    public Handshake decode(Buf buf) {
      long flags = buf.readUint();
      RouteMode mode = RouteMode.fromWire(buf.readUint());
      byte[] noise = Compact.BUFFER.decode(buf);
      HostPort peer = (flags & PEER_ADDRESS) != 0 ? Ipv4.ADDRESS.decode(buf) : null;
      HostPort relay = (flags & RELAY_ADDRESS) != 0 ? Ipv4.ADDRESS.decode(buf) : null;
      return new Handshake(mode, noise, peer, relay);
    }
  };
}
