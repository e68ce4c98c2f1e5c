package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.dht.QueryRequest;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectTrace.Phase;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * The relay half of a connect ({@code connect.js findAndConnect}): seeds first (the caller's relay addresses, else the
 * relays cached for the key, else this persistent node's own route), in parallel with a FIND_PEER lookup; each node
 * that answers with the server's record gets message 1, at most two at a time (three with seeds), and with seeds the
 * lookup may run a second pass. Ends once a handshake is accepted, the attempt failed, or every lookup and handshake
 * finished. Runs on the attempt's thread; each handshake on a virtual thread of its own.
 */
final class RelayWalk {
  private static final Object END = new Object();

  private final ConnectAttempt attempt;
  private int attempts;

  RelayWalk(ConnectAttempt attempt) {
    this.attempt = attempt;
  }

  /** Handshakes sent to nodes the lookup found (JS {@code attempts}: seeds are not counted). */
  int attempts() {
    return attempts;
  }

  void run() throws InterruptedException {
    List<HostPort> seeds = seeds();
    boolean preConnect = seeds != null && !seeds.isEmpty();
    int permits = preConnect ? 3 : 2;
    Semaphore slots = new Semaphore(permits);
    int passes = seeds != null ? 2 : 1;
    if (preConnect) {
      slots.acquire();
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
          slots.release();
        }
      });
    }
    List<HostPort> passSeeds = seeds == null ? List.of() : seeds;
    for (int pass = 0; pass < passes && !attempt.finished(); pass++) {
      lookup(passSeeds, preConnect ? passSeeds : List.of(), slots);
      passSeeds = List.of();
      if (attempts > 0) {
        flush(slots, permits);
      }
    }
    flush(slots, permits);
  }

  private void lookup(List<HostPort> seeds, List<HostPort> skip, Semaphore slots) throws InterruptedException {
    LinkedBlockingQueue<Object> found = new LinkedBlockingQueue<>();
    QueryOptions options = QueryOptions.DEFAULT.withSession(attempt.session).withNodes(seeds).withRetries(3);
    attempt.trace.add(Phase.LOOKUP, "FIND_PEER" + (seeds.isEmpty() ? "" : " seeded with " + seeds));
    Query<FindPeerResult> query = attempt.ctx.node.query(
        new QueryRequest(attempt.target, Command.FIND_PEER.id(), null), options, RecordOps::mapFindPeer, found::add);
    query.finished().whenComplete((r, e) -> found.add(END));
    int records = 0;
    try {
      while (true) {
        Object next = found.take();
        if (next == END) {
          break;
        }
        HostPort relay = ((FindPeerResult) next).from().address();
        records++;
        slots.acquire();
        if (attempt.finished()) {
          slots.release();
          return;
        }
        if (skip.contains(relay)) {
          slots.release();
          continue;
        }
        attempts++;
        Thread.ofVirtual().start(() -> {
          try {
            attempt.connectThrough(relay);
          } finally {
            slots.release();
          }
        });
      }
    } finally {
      query.destroy();
      attempt.trace.add(Phase.LOOKUP, records + " nodes hold the record");
    }
  }

  private List<HostPort> seeds() {
    List<HostPort> given = attempt.options.relayAddresses();
    List<HostPort> seeds = !given.isEmpty() ? given : attempt.ctx.relayAddresses.get(attempt.publicKey);
    HostPort route = attempt.ctx.routeRelay(attempt.target);
    return route != null ? List.of(route) : seeds;
  }

  /** Waits for every handshake in flight (JS {@code sem.flush()}). */
  private static void flush(Semaphore slots, int permits) throws InterruptedException {
    slots.acquire(permits);
    slots.release(permits);
  }
}
