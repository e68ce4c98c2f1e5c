package io.hyperinfer.dht;

/** Node events (JS {@code dht.on(...)}), called on the node's loop thread; must not block. */
public interface NodeListener {
  /** Bootstrapped: the first walk (and, for forced-persistent nodes, the network check) is done (JS 'ready'). */
  default void onReady() {}

  /** The node now has an id and serves as a persistent node (JS 'persistent'). */
  default void onPersistent() {}

  /** An adaptive node went back to ephemeral after a wake-up (JS 'ephemeral'). */
  default void onEphemeral() {}

  /** A tick gap of more than 15 s was noticed (sleep or stall) (JS 'wakeup'). */
  default void onWakeup() {}

  /** The NAT sampler's view of this node's public address changed; port 0 means a randomising NAT. */
  default void onNatUpdate(String host, int port) {}

  /**
   * The machine's network interfaces changed (JS 'network-change', from the UDX interface watcher); an
   * {@link #onNetworkUpdate} with the current health follows at once, as JS emits 'network-update' after it.
   */
  default void onNetworkChange() {}

  /** Network health changed (JS 'network-update' from health): online/offline, degraded or not. */
  default void onNetworkUpdate(boolean online, boolean degraded) {}

  /** A node entered the routing table. */
  default void onAddNode(Peer node) {}

  /** A node left the routing table. */
  default void onRemoveNode(Peer node) {}
}
