package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import java.util.List;

/**
 * Where a client sends its stream once the handshake is done ({@code connect.js} after the REPLY, {@code holepunch()}
 * up to the punch). Pure: the same inputs always give the same path.
 *
 * @param kind which rule chose it
 * @param address where to send (null for {@link Kind#PASSIVE}, {@link Kind#PUNCH} and {@link Kind#RELAY})
 * @param fromServerSocket whether to send from the node's server socket (the LAN path, as JS) rather than the socket
 *     it sends requests from
 */
record ConnectPath(Kind kind, HostPort address, boolean fromServerSocket) {
  /** The rules, in the order they are tried. */
  enum Kind {
    /** The server itself answered the handshake: dial the node we sent it to. */
    DIRECT,
    /** The server is reachable (OPEN) or offers no holepunch: its first public address, else where its relay saw it. */
    OPEN,
    /** We are reachable: wait for the server to reach us. */
    PASSIVE,
    /**
     * Same public host as the server, which lists private addresses: dial the best match after a ping, and punch
     * meanwhile (the server offers a punch, or the open rule would have applied), whichever connects first.
     */
    LAN,
    /** Only a holepunch reaches the server. */
    PUNCH,
    /**
     * A blind relay carries the stream and the server, firewalled, offers no relay to punch through: wait for the
     * relay. JS dials the server's own address here (the open rule), which a filtering NAT drops, and a stream the
     * relay had connected then carries nothing more.
     */
    RELAY
  }

  /**
   * @param relayAddress the node the handshake went through
   * @param relayed whether the server answered through a relay
   * @param serverAddress the server as its relay saw it
   * @param clientAddress us as the relay saw us
   * @param payload the server's Noise payload
   * @param ownFirewall the firewall class our message 1 claimed
   * @param localConnection whether LAN paths are allowed
   * @param localAddresses this machine's addresses for the node's server socket
   * @param blindRelay whether a blind relay is pairing the stream (either side asked for one)
   */
  static ConnectPath choose(HostPort relayAddress, boolean relayed, HostPort serverAddress, HostPort clientAddress,
      NoisePayload payload, long ownFirewall, boolean localConnection, List<HostPort> localAddresses,
      boolean blindRelay) {
    if (!relayed) {
      return new ConnectPath(Kind.DIRECT, relayAddress, false);
    }
    boolean holepunchable = payload.holepunch() != null && !payload.holepunch().relays().isEmpty();
    if (payload.firewall() == Firewall.OPEN || !holepunchable) {
      if (blindRelay && payload.firewall() != Firewall.OPEN) {
        return new ConnectPath(Kind.RELAY, null, false);
      }
      return new ConnectPath(Kind.OPEN, Addresses.firstPublic(payload.addresses4(), serverAddress), false);
    }
    if (ownFirewall == Firewall.OPEN) {
      return new ConnectPath(Kind.PASSIVE, null, false);
    }
    if (localConnection && clientAddress.host().equals(serverAddress.host())) {
      List<HostPort> theirs = Addresses.nonReserved(payload.addresses4());
      if (!theirs.isEmpty()) {
        HostPort match = Addresses.matchAddress(localAddresses, theirs);
        return new ConnectPath(Kind.LAN, match != null ? match : theirs.get(0), true);
      }
    }
    return new ConnectPath(Kind.PUNCH, null, false);
  }
}
