package io.hyperinfer.swarm;

import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Picks how long a peer waits before it is queued again (JS {@code lib/retry-timer.js}): four bulk timers (short,
 * medium, long, and ten minutes for explicit peers that failed more than three times), chosen by the peer's attempts
 * and whether it was ever proven. Confined to the swarm loop.
 */
final class RetryTimer {
  private final BulkTimer[] timers = new BulkTimer[4];

  /**
   * @param backoffsMs the four base waits (short, medium, long, explicit)
   * @param jitterMs up to this much random time is added to each base wait, once
   */
  RetryTimer(List<Long> backoffsMs, long jitterMs, RandomGenerator random, Consumer<List<PeerInfo>> onDue) {
    if (backoffsMs.size() != 4) {
      throw new SwarmException(SwarmException.Code.BAD_ARGUMENT, "retry backoffs come in four: short, medium, long, "
          + "explicit");
    }
    for (int i = 0; i < 4; i++) {
      timers[i] = new BulkTimer(backoffsMs.get(i) + Math.round(jitterMs * random.nextDouble()), onDue);
    }
  }

  /** JS's default backoffs, each with its own jitter drawn once (1 s, 5 s, 15 s and 10 min, plus up to 0.5-60 s). */
  static List<Long> defaultBackoffs(RandomGenerator random) {
    long jitter = 500;
    return List.of(1000 + Math.round(jitter * random.nextDouble()), 5000 + Math.round(2 * jitter * random.nextDouble()),
        15_000 + Math.round(4 * jitter * random.nextDouble()), 600_000 + Math.round(240 * jitter * random.nextDouble()));
  }

  private BulkTimer select(PeerInfo peer) {
    if (peer.banned) {
      return null;
    }
    if (peer.attempts > 3) {
      return peer.explicit ? timers[3] : null;
    }
    if (peer.attempts == 0) {
      return timers[0];
    }
    if (peer.proven) {
      return timers[peer.attempts - 1]; // 1 -> short, 2 -> medium, 3 -> long
    }
    return peer.attempts == 1 ? timers[1] : timers[2];
  }

  /** Schedules a retry; false when the peer is not to be retried. */
  boolean add(PeerInfo peer, long nowMs) {
    BulkTimer timer = select(peer);
    if (timer == null) {
      return false;
    }
    timer.add(peer, nowMs);
    return true;
  }

  long deadlineMs() {
    long d = Long.MAX_VALUE;
    for (BulkTimer t : timers) {
      d = Math.min(d, t.deadlineMs());
    }
    return d;
  }

  void tick(long nowMs) {
    for (BulkTimer t : timers) {
      t.tick(nowMs);
    }
  }

  void destroy() {
    for (BulkTimer t : timers) {
      t.destroy();
    }
  }
}
