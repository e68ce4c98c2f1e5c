package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How {@link HyperDht#connect} connects (JS {@code dht.connect(publicKey, opts)}). All {@code with…} methods return a
 * copy; {@link #DEFAULT} documents every default.
 *
 * @param keyPair our static key for this connection (JS {@code keyPair}); null: the node's default key pair
 * @param relayAddresses nodes known to relay for the server (JS {@code relayAddresses}, e.g. from a topic record):
 *     the handshake goes to them at once, alongside the lookup. Default none (then the node's cache of relays that
 *     worked for this key, if any)
 * @param localConnection whether to offer and use local-network addresses (JS {@code localConnection}, default true)
 * @param timeout the hard deadline of the whole attempt, from the lookup to the stream's first bytes (ours, default
 *     20 s; JS has none and fails only when UDX times out); everything the attempt holds is released when it passes
 * @param keepAlive the secret stream's keepalive (JS {@code connectionKeepAlive}, default 5 s; zero: off)
 * @param traceSink receives the attempt's {@link ConnectTrace} when it ends, either way (ours, default none; a
 *     failure also carries it in its exception): for logging slow connects or checking which path was taken
 * @param fastOpen whether the first holepunch round is preceded by a low-TTL probe to the server's address as its relay
 *     saw it, which lets a consistent server connect in that round (JS {@code fastOpen}, default true)
 * @param holepunch whether to punch once both NATs are known (JS {@code holepunch}, default
 *     {@link HolepunchVeto#ALWAYS}; {@link HolepunchVeto#NEVER}: never punch)
 * @param birthdaySockets the most pool sockets one punch from behind a randomising NAT opens (JS 256)
 * @param relayThrough a blind relay to pair through when no direct path comes first (JS {@code relayThrough}, default
 *     null: none); the server's own choice wins when it names one. With a relay, a failed punch no longer ends the
 *     attempt
 * @param handshakeTimeout how long each send of a handshake request through a relay waits for the answer before it is
 *     sent again, 4 sends per relay (JS: dht-rpc's request timeout, 1 s, not an option of connect). A server's
 *     firewall refuses by staying silent, so this is what a refused connect waits out: the last relay's 4 sends
 *     end the attempt with PEER_CONNECTION_FAILED
 * @param relayLinger how long a relayed connection that moved to a punched path keeps its relay once the server's
 *     first bytes arrived (ours, default 5 s): the server switches when our first direct packets reach it, and its
 *     bytes still in flight through the relay are taken meanwhile (JS lets the relay go at the first direct packet)
 */
public record ConnectOptions(KeyPair keyPair, List<HostPort> relayAddresses, boolean localConnection,
    Duration timeout, Duration keepAlive, Consumer<ConnectTrace> traceSink, boolean fastOpen, HolepunchVeto holepunch,
    int birthdaySockets, RelayThrough relayThrough, Duration handshakeTimeout, Duration relayLinger) {
  /** JS's defaults, plus a 20 s deadline. */
  public static final ConnectOptions DEFAULT =
      new ConnectOptions(null, List.of(), true, Duration.ofSeconds(20), Duration.ofSeconds(5), null, true,
          HolepunchVeto.ALWAYS, Holepuncher.BIRTHDAY_SOCKETS, null, Duration.ofSeconds(1), RelayLink.LINGER);

  /** Checks the parts and copies the list. */
  public ConnectOptions {
    if (relayAddresses == null || timeout == null || keepAlive == null || !timeout.isPositive()
        || keepAlive.isNegative() || holepunch == null || birthdaySockets < 1 || handshakeTimeout == null
        || handshakeTimeout.toMillis() < 1 || relayLinger == null || relayLinger.isNegative()) {
      throw new IllegalArgumentException("relay addresses and durations are required; the timeouts are positive, "
          + "the keepalive and the relay linger not negative");
    }
    relayAddresses = List.copyOf(relayAddresses);
  }

  public ConnectOptions withKeyPair(KeyPair k) {
    return new ConnectOptions(k, relayAddresses, localConnection, timeout, keepAlive, traceSink, fastOpen, holepunch, birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withRelayAddresses(List<HostPort> relays) {
    return new ConnectOptions(keyPair, relays, localConnection, timeout, keepAlive, traceSink, fastOpen, holepunch, birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withLocalConnection(boolean on) {
    return new ConnectOptions(keyPair, relayAddresses, on, timeout, keepAlive, traceSink, fastOpen, holepunch, birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withTimeout(Duration d) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, d, keepAlive, traceSink, fastOpen, holepunch, birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withTraceSink(Consumer<ConnectTrace> sink) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, keepAlive, sink, fastOpen, holepunch, birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withKeepAlive(Duration d) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, d, traceSink, fastOpen, holepunch, birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withFastOpen(boolean on) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, keepAlive, traceSink, on, holepunch,
        birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withHolepunch(HolepunchVeto veto) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, keepAlive, traceSink, fastOpen, veto,
        birthdaySockets, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withBirthdaySockets(int n) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, keepAlive, traceSink, fastOpen,
        holepunch, n, relayThrough, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withRelayThrough(RelayThrough relay) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, keepAlive, traceSink, fastOpen,
        holepunch, birthdaySockets, relay, handshakeTimeout, relayLinger);
  }

  public ConnectOptions withHandshakeTimeout(Duration d) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, keepAlive, traceSink, fastOpen,
        holepunch, birthdaySockets, relayThrough, d, relayLinger);
  }

  public ConnectOptions withRelayLinger(Duration d) {
    return new ConnectOptions(keyPair, relayAddresses, localConnection, timeout, keepAlive, traceSink, fastOpen,
        holepunch, birthdaySockets, relayThrough, handshakeTimeout, d);
  }
}
