package io.hyperinfer.client;

import io.hyperinfer.worker.net.PeerRef;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long a client keeps looking for gateways when a lookup finds none ({@code client.gatewayWait}, 2 s; {@code 0s}:
 * not at all): fresh lookups after pauses of 50 ms doubling up to 500 ms, until one finds a gateway or the wait is
 * spent, by the clock or by the pauses taken (so a clock that stands still cannot stretch it). A client just started
 * may look before the network has told it whom to trust, or before a restarted gateway announced again; a network
 * with no gateway at all still fails within the wait. After a wait that found none, the next call within the same
 * length of time fails at once instead of waiting again (a command line that looks twice waits once). Thread-safe.
 */
final class GatewayWait {
  /** The default of {@code client.gatewayWait}. */
  static final Duration DEFAULT = Duration.ofSeconds(2);
  static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  static final Duration MAX_PAUSE = Duration.ofMillis(500);
  /** Never waits: a lookup that finds none is the answer. */
  static final GatewayWait NONE = new GatewayWait(Duration.ZERO, Clock.systemUTC(), Pause.SLEEP);

  private static final Logger LOG = LoggerFactory.getLogger(GatewayWait.class);

  /** Waits between lookups; tests pass one that moves a manual clock. */
  @FunctionalInterface
  interface Pause {
    Pause SLEEP = Thread::sleep;

    void pause(Duration length) throws InterruptedException;
  }

  private final Duration total;
  private final Clock clock;
  private final Pause pause;
  private final AtomicLong repeated = new AtomicLong();
  private volatile Instant quietUntil = Instant.MIN;

  GatewayWait(Duration total, Clock clock, Pause pause) {
    this.total = total;
    this.clock = clock;
    this.pause = pause;
  }

  /**
   * {@code first} (a first lookup's answer) when not empty, else {@code again}'s (a fresh lookup) on the backoff until
   * one is not empty or the wait is spent. Empty when the wait was spent (or interrupted: the interrupt is kept) with
   * no gateway found.
   */
  List<PeerRef> until(List<PeerRef> first, Supplier<List<PeerRef>> again) {
    Instant start = clock.instant();
    if (!first.isEmpty() || total.isZero() || start.isBefore(quietUntil)) {
      return first;
    }
    List<PeerRef> found = first;
    Instant deadline = start.plus(total);
    Duration paused = Duration.ZERO;
    Duration next = FIRST_PAUSE;
    int lookups = 1;
    while (found.isEmpty()) {
      Duration left = min(Duration.between(clock.instant(), deadline), total.minus(paused));
      if (!left.isPositive()) {
        break;
      }
      Duration length = min(next, left);
      LOG.debug("no gateway found yet; looking again in {} ms", length.toMillis());
      try {
        pause.pause(length);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return found;
      }
      paused = paused.plus(length);
      next = min(next.multipliedBy(2), MAX_PAUSE);
      repeated.incrementAndGet();
      found = again.get();
      lookups++;
    }
    if (found.isEmpty()) {
      quietUntil = clock.instant().plus(total);
      LOG.info("no gateway found in {} lookups over {} ms", lookups, Duration.between(start, clock.instant())
          .toMillis());
    }
    return found;
  }

  /** Lookups made again because the one before found no gateway. */
  long repeated() {
    return repeated.get();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
