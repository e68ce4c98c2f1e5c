package io.hyperinfer.hyperdht;

import io.hyperinfer.secretstream.ConnectionLimiter;
import java.time.Duration;

/**
 * How a {@link HyperDhtServer} accepts connections (JS {@code dht.createServer(opts)}). All {@code with…} methods
 * return a copy; {@link #DEFAULT} documents every default.
 *
 * @param firewall judges each client by its proven key after Noise message 1 (default {@link
 *     ConnectionFirewall#ALLOW_ALL})
 * @param shareLocalAddress whether the Noise payload lists this machine's addresses (JS {@code shareLocalAddress},
 *     default true)
 * @param keepAlive the secret stream's keepalive (JS {@code connectionKeepAlive}, default 5 s; zero: off)
 * @param handshakeClearWait how long a handshake is remembered after it settled, so the same message 1 through
 *     another relay gets the same message 2 (JS {@code handshakeClearWait}, default 10 s)
 * @param firstPacketWait how long an answered handshake waits for the client's first UDX packet before it is given
 *     up (JS {@code HANDSHAKE_INITIAL_TIMEOUT}, default 10 s), and then as long again for the client's secret-stream
 *     header
 * @param limits admission by client IP address as the relay reported it (ours, default
 *     {@link ConnectionLimiter.Limits#DEFAULT}: 1,024 connections, 64 per address, 128 handshakes waiting for their
 *     first packet, 8 per address); a message 1 over the caps is dropped silently before any crypto (hyperdht#294)
 * @param maxSettledHandshakes settled handshakes remembered for {@code handshakeClearWait} (ours, default 4,096; the
 *     oldest is forgotten first): a message 1 and its answer each
 * @param holepunch whether to punch for a client once both NATs are known (JS {@code holepunch}, default
 *     {@link HolepunchVeto#ALWAYS}; {@link HolepunchVeto#NEVER} is JS {@code holepunch: false})
 * @param birthdaySockets the most pool sockets one punch from behind a randomising NAT opens (JS 256, ours the same)
 * @param relayThrough a blind relay this server asks every firewalled client to pair through (JS
 *     {@code relayThrough}, default null: none; a client's own choice is honoured either way)
 * @param relayLinger how long a relayed connection that moved to a punched path keeps its relay (default 5 s): the
 *     client's bytes still in flight through the relay are taken meanwhile
 */
public record ServerOptions(ConnectionFirewall firewall, boolean shareLocalAddress, Duration keepAlive,
    Duration handshakeClearWait, Duration firstPacketWait, ConnectionLimiter.Limits limits,
    int maxSettledHandshakes, HolepunchVeto holepunch, int birthdaySockets, RelayThrough relayThrough,
    Duration relayLinger) {
  /** JS's defaults, and our bounds on handshake and connection state. */
  public static final ServerOptions DEFAULT = new ServerOptions(ConnectionFirewall.ALLOW_ALL, true,
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), ConnectionLimiter.Limits.DEFAULT, 4096, HolepunchVeto.ALWAYS, Holepuncher.BIRTHDAY_SOCKETS, null,
      RelayLink.LINGER);

  /** Checks the parts. */
  public ServerOptions {
    if (firewall == null || keepAlive == null || handshakeClearWait == null || firstPacketWait == null
        || limits == null || keepAlive.isNegative() || handshakeClearWait.isNegative()
        || !firstPacketWait.isPositive() || maxSettledHandshakes < 1 || holepunch == null || birthdaySockets < 1
        || relayLinger == null || relayLinger.isNegative()) {
      throw new IllegalArgumentException("firewall, limits and durations are required; durations are not negative");
    }
  }

  public ServerOptions withFirewall(ConnectionFirewall f) {
    return new ServerOptions(f, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, limits,
        maxSettledHandshakes, holepunch, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withShareLocalAddress(boolean on) {
    return new ServerOptions(firewall, on, keepAlive, handshakeClearWait, firstPacketWait, limits,
        maxSettledHandshakes, holepunch, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withKeepAlive(Duration d) {
    return new ServerOptions(firewall, shareLocalAddress, d, handshakeClearWait, firstPacketWait, limits,
        maxSettledHandshakes, holepunch, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withHandshakeClearWait(Duration d) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, d, firstPacketWait, limits,
        maxSettledHandshakes, holepunch, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withFirstPacketWait(Duration d) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, d, limits,
        maxSettledHandshakes, holepunch, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withLimits(ConnectionLimiter.Limits l) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, l,
        maxSettledHandshakes, holepunch, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withMaxSettledHandshakes(int n) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, limits, n,
        holepunch, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withHolepunch(HolepunchVeto veto) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, limits,
        maxSettledHandshakes, veto, birthdaySockets, relayThrough, relayLinger);
  }

  public ServerOptions withBirthdaySockets(int n) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, limits,
        maxSettledHandshakes, holepunch, n, relayThrough, relayLinger);
  }

  public ServerOptions withRelayThrough(RelayThrough relay) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, limits,
        maxSettledHandshakes, holepunch, birthdaySockets, relay, relayLinger);
  }

  public ServerOptions withRelayLinger(Duration d) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, limits,
        maxSettledHandshakes, holepunch, birthdaySockets, relayThrough, d);
  }
}
