package io.hyperinfer.swarm;

/**
 * The swarm's events (JS {@code swarm.on('connection')}, {@code 'ban'}). Called on the swarm loop: must not block
 * (hand blocking work, such as reading the connection's stream, to a thread of its own).
 */
@FunctionalInterface
public interface SwarmListener {
  /** A connection opened (we dialed) or arrived (the peer dialed), and is the only one to its peer. */
  void onConnection(SwarmConnection connection, PeerInfo peer);

  /**
   * A dial to {@code peer} failed ({@code cause}: the HyperDHT connect error); the swarm retries it by its rules. For
   * callers waiting for a connection to that key, which need not wait for the retry.
   */
  default void onDialFailed(PeerInfo peer, Throwable cause) {}

  /**
   * Asked when a connection arrives from the peer of {@code existing}, which already carried bytes both ways: JS's
   * rule then keeps the newcomer (the peer must have lost {@code existing} and redialled). A listener that knows better
   * says false, and the pair's tie-break decides instead, as it does between two new connections: for one of our
   * dials that just opened, the newcomer is the peer's dial from the same instant, which the peer itself gave up for
   * ours by that tie-break. Default: true, JS's rule.
   */
  default boolean mayReplace(SwarmConnection existing) {
    return true;
  }

  /** {@code peer} was banned ({@code reason} FIREWALLED) or banned or unbanned by {@link Swarm#ban}. */
  default void onBan(PeerInfo peer, SwarmException reason) {}
}
