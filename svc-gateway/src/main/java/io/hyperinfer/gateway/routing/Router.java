package io.hyperinfer.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the processor for a request from live signals, never at random: the lowest expected wait, computed as
 * {@code (inFlight + reportedQueue + 1) * latencyEwma}, skipping processors whose circuit is open or that reported
 * themselves unhealthy. Unknown processors start at the optimistic default latency so new ones get tried. Ties go to
 * the lower key, so the choice is deterministic. Thread-safe.
 */
public final class Router {
  /** Weight of the newest sample in the latency average. */
  static final double EWMA_ALPHA = 0.3;

  private final Clock clock;
  private final int breakerThreshold;
  private final Duration breakerCooldown;
  private final double defaultLatencyMs;
  private final Map<ProcessorRef, Stats> stats = new HashMap<>();

  public Router(Clock clock, int breakerThreshold, Duration breakerCooldown, Duration defaultLatency) {
    this.clock = clock;
    this.breakerThreshold = breakerThreshold;
    this.breakerCooldown = breakerCooldown;
    this.defaultLatencyMs = Math.max(1, defaultLatency.toMillis());
  }

  public Router(Clock clock) {
    this(clock, 3, Duration.ofSeconds(10), Duration.ofMillis(50));
  }

  /** The best candidate not in {@code exclude}, marked as dispatched (in-flight + 1); empty when none may take it. */
  public synchronized Optional<ProcessorRef> choose(List<ProcessorRef> candidates, Set<ProcessorRef> exclude) {
    Optional<ProcessorRef> best = candidates.stream().distinct()
        .filter(p -> !exclude.contains(p))
        .filter(p -> stats(p).healthy && stats(p).breaker.allows())
        .min(Comparator.comparingDouble((ProcessorRef p) -> stats(p).expectedWait())
            .thenComparing(ProcessorRef::publicKeyHex));
    best.ifPresent(p -> {
      Stats s = stats(p);
      s.breaker.onDispatch();
      s.inFlight++;
    });
    return best;
  }

  /** The dispatched request produced its first token after {@code ttft}: the latency signal. */
  public synchronized void onFirstToken(ProcessorRef p, Duration ttft) {
    Stats s = stats(p);
    s.latencyMs = s.latencyMs * (1 - EWMA_ALPHA) + ttft.toNanos() / 1e6 * EWMA_ALPHA;
  }

  /** The dispatched request ended; {@code ok} false when the processor failed it (not when the client cancelled). */
  public synchronized void onDone(ProcessorRef p, boolean ok) {
    Stats s = stats(p);
    s.inFlight = Math.max(0, s.inFlight - 1);
    if (ok) {
      s.breaker.onSuccess();
    } else {
      s.breaker.onFailure();
    }
  }

  /** A processor's own report (from its load announcement): queued requests and whether it is healthy. */
  public synchronized void onReport(ProcessorRef p, int queued, boolean healthy) {
    Stats s = stats(p);
    s.reportedQueue = Math.max(0, queued);
    s.healthy = healthy;
  }

  /** A snapshot for the {@code status} method and tests. */
  public synchronized Map<String, Object> snapshot(ProcessorRef p) {
    Stats s = stats(p);
    return Map.of("inFlight", s.inFlight, "latencyMs", Math.round(s.latencyMs), "healthy", s.healthy,
        "circuit", s.breaker.state().name());
  }

  private Stats stats(ProcessorRef p) {
    return stats.computeIfAbsent(p, k -> new Stats(new CircuitBreaker(breakerThreshold, breakerCooldown, clock),
        defaultLatencyMs));
  }

  /** Signals about one processor; guarded by the router. */
  private static final class Stats {
    final CircuitBreaker breaker;
    double latencyMs;
    int inFlight;
    int reportedQueue;
    boolean healthy = true;

    Stats(CircuitBreaker breaker, double latencyMs) {
      this.breaker = breaker;
      this.latencyMs = latencyMs;
    }

    double expectedWait() {
      return (inFlight + reportedQueue + 1) * latencyMs;
    }
  }
}
