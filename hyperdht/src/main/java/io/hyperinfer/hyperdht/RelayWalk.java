package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectTrace.Phase;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The relay half of a connect ({@code connect.js findAndConnect}): seeds first (the caller's relay addresses, else the
 * relays cached for the key, else this persistent node's own route), in parallel with a FIND_PEER lookup; each node
 * that answers with the server's record gets message 1, at most two at a time (three with seeds; JS's semaphore), and
 * with seeds the lookup may run a second pass. Ends as soon as a handshake is accepted or the attempt failed (the
 * handshakes still in flight are cancelled with the attempt's session and end on their own), else once every lookup
 * and handshake finished. Runs on the attempt's thread; the lookup's handshakes are sent from it and answered on the
 * node's loop (the seeds' on a virtual thread, one after another).
 */
final class RelayWalk {
  private static final Object END = new Object();

  private final ConnectAttempt attempt;
  private int attempts;
  private int inFlight; // guarded by this
  /** The running lookup's results, or null between lookups. */
  private volatile LinkedBlockingQueue<Object> found;

  RelayWalk(ConnectAttempt attempt) {
    this.attempt = attempt;
  }

  /** Handshakes sent to nodes the lookup found (JS {@code attempts}: seeds are not counted). */
  int attempts() {
    return attempts;
  }

  /**
   * The attempt accepted a handshake or failed: stop waiting for slots and for the lookup (its requests end with the
   * attempt's session, but their answers would only reach us after another trip through the loop).
   */
  void wake() {
    LinkedBlockingQueue<Object> results = found;
    if (results != null) {
      results.add(END);
    }
    synchronized (this) {
      notifyAll();
    }
  }

  void run() throws InterruptedException {
    List<HostPort> seeds = seeds();
    boolean preConnect = seeds != null && !seeds.isEmpty();
    int limit = preConnect ? 3 : 2;
    int passes = seeds != null ? 2 : 1;
    if (preConnect && acquire(limit)) {
      List<HostPort> first = seeds;
      Thread.ofVirtual().start(() -> {
        try {
          for (HostPort relay : first) {
            if (attempt.finished()) {
              return;
            }
            attempt.connectThrough(relay);
          }
        } finally {
          release();
        }
      });
    }
    List<HostPort> passSeeds = seeds == null ? List.of() : seeds;
    for (int pass = 0; pass < passes && !attempt.finished(); pass++) {
      lookup(passSeeds, preConnect ? passSeeds : List.of(), limit);
      passSeeds = List.of();
      if (attempts > 0) {
        drain();
      }
    }
    drain();
  }

  private void lookup(List<HostPort> seeds, List<HostPort> skip, int limit) throws InterruptedException {
    LinkedBlockingQueue<Object> found = new LinkedBlockingQueue<>();
    this.found = found;
    QueryOptions options = QueryOptions.DEFAULT.withSession(attempt.session).withNodes(seeds).withRetries(3);
    attempt.trace.add(Phase.LOOKUP, "FIND_PEER" + (seeds.isEmpty() ? "" : " seeded with " + seeds));
    Query<FindPeerResult> query = attempt.ctx.node.query(
        new QueryRequest(attempt.target, Command.FIND_PEER.id(), null), options, RecordOps::mapFindPeer, found::add);
    query.finished().whenComplete((r, e) -> found.add(END));
    if (attempt.finished()) {
      found.add(END); // decided before the queue was published: wake() did not see it
    }
    int records = 0;
    try {
      while (true) {
        Object next = found.take();
        if (next == END) {
          break;
        }
        HostPort relay = ((FindPeerResult) next).from().address();
        records++;
        if (!acquire(limit)) {
          return;
        }
        if (skip.contains(relay)) {
          release();
          continue;
        }
        attempts++;
        // sent from this thread; the answer is handled on the loop, which frees the slot
        attempt.handshakeThrough(relay).whenComplete((v, e) -> release());
      }
    } finally {
      this.found = null;
      query.destroy();
      attempt.trace.add(Phase.LOOKUP, records + " nodes hold the record");
    }
  }

  /** Waits for a handshake slot; false (no slot taken) once the attempt accepted a handshake or failed. */
  private synchronized boolean acquire(int limit) throws InterruptedException {
    while (inFlight >= limit && !attempt.finished()) {
      wait();
    }
    if (attempt.finished()) {
      return false;
    }
    inFlight++;
    return true;
  }

  private synchronized void release() {
    inFlight--;
    notifyAll();
  }

  /** Waits until no handshake is in flight or the attempt is decided (JS {@code sem.flush()}). */
  private synchronized void drain() throws InterruptedException {
    while (inFlight > 0 && !attempt.finished()) {
      wait();
    }
  }

  private List<HostPort> seeds() {
    List<HostPort> given = attempt.options.relayAddresses();
    List<HostPort> seeds = !given.isEmpty() ? given : attempt.ctx.relayAddresses.get(attempt.publicKey);
    HostPort route = attempt.ctx.routeRelay(attempt.target);
    return route != null ? List.of(route) : seeds;
  }
}
