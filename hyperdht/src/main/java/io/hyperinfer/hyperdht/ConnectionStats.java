package io.hyperinfer.hyperdht;

/**
 * A node's connection state at one moment ({@link HyperDht#connectionStats()}): what must return to its resting values
 * after connects fail or a handshake flood ends.
 *
 * @param rawStreams UDX streams opened for connections and not closed yet
 * @param connectsInFlight connect attempts not finished
 * @param servers servers listening or closing
 * @param pendingHandshakes handshakes holding a stream while they wait for the client's first packet
 * @param settledHandshakes handshakes remembered only for their answer
 * @param refusedHandshakes message 1s dropped because a handshake cap was reached
 * @param serverConnections connections the servers accepted
 * @param cachedRelays servers whose last working relays are cached
 */
public record ConnectionStats(int rawStreams, int connectsInFlight, int servers, int pendingHandshakes,
    int settledHandshakes, long refusedHandshakes, long serverConnections, int cachedRelays) {

  /**
   * One server's counters.
   *
   * @param pendingHandshakes handshakes holding a stream while they wait for the client's first packet
   * @param settledHandshakes handshakes remembered only for their answer
   * @param refusedHandshakes message 1s dropped because a cap was reached (before any crypto)
   * @param evictedHandshakes pending handshakes dropped to make room for another client's
   * @param duplicateHandshakes message 1s answered again from the table (another relay, a resend)
   * @param invalidHandshakes message 1s that did not decrypt or decode
   * @param firewalled clients the firewall rejected
   * @param expiredHandshakes answered handshakes whose client never sent its first packet
   * @param connections connections accepted
   * @param openConnections accepted connections whose UDX stream is still open
   */
  public record Server(int pendingHandshakes, int settledHandshakes, long refusedHandshakes, long evictedHandshakes,
      long duplicateHandshakes, long invalidHandshakes, long firewalled, long expiredHandshakes, long connections,
      int openConnections) {
    /** A server that never listened. */
    static final Server NONE = new Server(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }
}
