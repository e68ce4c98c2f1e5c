package io.hyperinfer.swarm;

/** What the swarm core asks its shell to do, on the swarm loop. */
interface SwarmCoreEvents {
  /** Starts a connect to {@code peer}; the shell reports it open or closed later. */
  Link dial(PeerInfo peer);

  /** A connection opened (client) or was accepted (server) and survived deduplication. */
  void connection(Link link, PeerInfo peer);

  /**
   * Whether {@code existing}, which already carried bytes both ways, may give way to a newer connection from its peer
   * (JS's rule always lets it: the peer must have lost it); false falls back on the tie-break, as for two new ones.
   */
  default boolean mayReplace(Link existing) {
    return true;
  }

  /** A peer was banned (the firewall rejected its key, or the user banned it). */
  void banned(PeerInfo peer, SwarmException reason);
}
