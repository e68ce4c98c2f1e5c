package io.hyperinfer.swarm;

/**
 * The swarm core's view of one connection, pending or open: enough to deduplicate a pair and to end the loser.
 * Implementations are thread-safe; the core calls them on the swarm loop.
 */
interface Link {
  /** The peer's key: proven by the handshake on a server connection, the dialed key on a client one. */
  PeerKey remoteKey();

  /** Whether we dialed it. */
  boolean isInitiator();

  /** JS {@code rawBytesRead > 0 && rawBytesWritten > 0}: both sides' secret-stream headers went through. */
  boolean exchangedBytes();

  /**
   * Whether this dial failed in a way only a blind relay gets around (JS {@code shouldForceRelaying}: the punch was
   * aborted, cannot work, or the remote cannot be punched).
   */
  boolean needsRelay();

  /**
   * JS {@code sendKeepAlive()}: an empty frame, so a dead path shows itself (the transport's retransmissions give up
   * and the connection closes) sooner than the next message or keep-alive timer would find it. Never blocks; a
   * connection whose stream is not open yet (or is backlogged, which probes the path already) sends nothing.
   */
  void sendKeepAlive();

  /** Ends the connection; its close reaches the core once, whatever state it was in. */
  void destroy(SwarmException reason);
}
