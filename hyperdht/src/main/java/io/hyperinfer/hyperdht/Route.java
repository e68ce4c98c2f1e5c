package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Peer;

/**
 * A router table entry ({@code lib/router.js} forwards): how this node reaches the server of a target.
 *
 * @param record the server's record, returned to FIND_PEER and appended to LOOKUP
 * @param relay where handshakes for the target are forwarded: the source address of the server's ANNOUNCE; null for
 *     a local server
 * @param localServer whether a server on this node listens on the target (the entry is then pinned)
 */
public record Route(Peer record, HostPort relay, boolean localServer) {
  /** A local server has no relay; a forward has one. */
  public Route {
    if (record == null || (localServer == (relay != null))) {
      throw new IllegalArgumentException("a route is a local server (no relay) or a forward (with a relay)");
    }
  }
}
