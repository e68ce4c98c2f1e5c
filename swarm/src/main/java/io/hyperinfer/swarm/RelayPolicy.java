package io.hyperinfer.swarm;

import io.hyperinfer.hyperdht.RelayThrough;

/**
 * Which blind relay a swarm's connections go through (JS hyperswarm's {@code relayThrough} option, a key, keys or a
 * {@code (force, swarm) => key} function). Asked for each dial and for each handshake the swarm's server answers.
 * Implementations must be thread-safe (the server asks on the node's loop).
 */
@FunctionalInterface
public interface RelayPolicy {
  /**
   * @param force an earlier dial to this peer failed in a way no holepunch gets around (always false for the server)
   * @param randomized this node sits behind a NAT that changes ports per destination
   * @return the relay server's 32-byte key for this connection, or null for a direct one
   */
  byte[] select(boolean force, boolean randomized);

  /** JS's {@code relayThrough} given as keys: a relay only when forced or behind a randomizing NAT. */
  static RelayPolicy whenNeeded(RelayThrough relays) {
    return (force, randomized) -> force || randomized ? RelayThrough.selectFrom(relays) : null;
  }

  /** Every connection through one of {@code relays} (JS's function form returning it always). */
  static RelayPolicy always(RelayThrough relays) {
    return (force, randomized) -> RelayThrough.selectFrom(relays);
  }
}
