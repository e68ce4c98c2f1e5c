package io.hyperinfer.worker.net.spi;

import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts the calls running on the handler's side, per peer and in all, and admits a new one only under both limits
 * ({@link NetSettings#maxInFlightPerPeer()}, {@link NetSettings#maxInFlight()}). A peer's entry lives only while it has
 * calls running, so the table is bounded by the calls. Thread-safe.
 */
final class InFlightLimits {
  private final Map<PeerRef, Integer> perPeer = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** Admits {@code call}, or returns the ERR_TOO_MANY_REQUESTS it gets. */
  NetException admit(RunningCall call, NetSettings settings) {
    if (total.incrementAndGet() > settings.maxInFlight()) {
      total.decrementAndGet();
      return NetException.tooManyRequests(settings.maxInFlight());
    }
    int limit = settings.maxInFlightPerPeer();
    boolean[] ok = {false};
    perPeer.compute(call.from(), (peer, n) -> {
      int count = n == null ? 0 : n;
      if (count >= limit) {
        return n;
      }
      ok[0] = true;
      return count + 1;
    });
    if (!ok[0]) {
      total.decrementAndGet();
      return NetException.tooManyRequests(limit);
    }
    call.admitted(true);
    return null;
  }

  /** Gives back {@code call}'s admission, once however often it is called. */
  void release(RunningCall call) {
    if (call.takeAdmission()) {
      total.decrementAndGet();
      perPeer.computeIfPresent(call.from(), (peer, n) -> n <= 1 ? null : n - 1);
    }
  }

  /** Peers with calls running, for leak tests. */
  int peers() {
    return perPeer.size();
  }
}
