package io.hyperinfer.hyperdht;

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
 * @param firstPacketWait how long an answered handshake waits for the client's first UDX packet before it is given up
 *     (JS {@code HANDSHAKE_INITIAL_TIMEOUT}, default 10 s)
 * @param maxPendingHandshakes handshakes answered and waiting for their first packet, in total (ours, default 256):
 *     each holds a UDX stream and Noise keys; more message 1s are dropped silently (hyperdht#294)
 * @param maxPendingPerHost the same, per client IP address as the relay reported it (ours, default 32)
 * @param maxSettledHandshakes settled handshakes remembered for {@code handshakeClearWait} (ours, default 4,096; the
 *     oldest is forgotten first): a message 1 and its answer each
 */
public record ServerOptions(ConnectionFirewall firewall, boolean shareLocalAddress, Duration keepAlive,
    Duration handshakeClearWait, Duration firstPacketWait, int maxPendingHandshakes, int maxPendingPerHost,
    int maxSettledHandshakes) {
  /** JS's defaults, and our bounds on handshake state. */
  public static final ServerOptions DEFAULT = new ServerOptions(ConnectionFirewall.ALLOW_ALL, true,
      Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), 256, 32, 4096);

  /** Checks the parts. */
  public ServerOptions {
    if (firewall == null || keepAlive == null || handshakeClearWait == null || firstPacketWait == null
        || keepAlive.isNegative() || handshakeClearWait.isNegative() || !firstPacketWait.isPositive()) {
      throw new IllegalArgumentException("firewall and durations are required; durations are not negative");
    }
    if (maxPendingHandshakes < 1 || maxPendingPerHost < 1 || maxSettledHandshakes < 1) {
      throw new IllegalArgumentException("handshake limits are at least 1");
    }
  }

  public ServerOptions withFirewall(ConnectionFirewall f) {
    return new ServerOptions(f, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait,
        maxPendingHandshakes, maxPendingPerHost, maxSettledHandshakes);
  }

  public ServerOptions withShareLocalAddress(boolean on) {
    return new ServerOptions(firewall, on, keepAlive, handshakeClearWait, firstPacketWait, maxPendingHandshakes,
        maxPendingPerHost, maxSettledHandshakes);
  }

  public ServerOptions withKeepAlive(Duration d) {
    return new ServerOptions(firewall, shareLocalAddress, d, handshakeClearWait, firstPacketWait,
        maxPendingHandshakes, maxPendingPerHost, maxSettledHandshakes);
  }

  public ServerOptions withHandshakeClearWait(Duration d) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, d, firstPacketWait, maxPendingHandshakes,
        maxPendingPerHost, maxSettledHandshakes);
  }

  public ServerOptions withFirstPacketWait(Duration d) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, d, maxPendingHandshakes,
        maxPendingPerHost, maxSettledHandshakes);
  }

  /** Bounds on handshake state: pending in total, pending per client host, settled remembered. */
  public ServerOptions withHandshakeLimits(int pending, int pendingPerHost, int settled) {
    return new ServerOptions(firewall, shareLocalAddress, keepAlive, handshakeClearWait, firstPacketWait, pending,
        pendingPerHost, settled);
  }
}
