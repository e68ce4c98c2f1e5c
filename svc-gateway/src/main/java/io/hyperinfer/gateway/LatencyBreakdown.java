package io.hyperinfer.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the time of one request went, in milliseconds, as seen by the gateway: checking credentials, waiting for
 * admission, choosing a processor, the processor's own handling, the engine's time to first token, and the total.
 * Sent with every end frame as {@code timings}. Immutable.
 */
public record LatencyBreakdown(double authMs, double queueMs, double routingMs, double processorMs, double engineTtftMs,
    double totalMs) {

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("authMs", round(authMs));
    m.put("queueMs", round(queueMs));
    m.put("routingMs", round(routingMs));
    m.put("processorMs", round(processorMs));
    m.put("engineTtftMs", round(engineTtftMs));
    m.put("totalMs", round(totalMs));
    return m;
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  /** Collects phase ends as they happen; confined to the request's thread. */
  public static final class Stopwatch {
    private final long start = System.nanoTime();
    private long mark = start;
    private double auth;
    private double queue;
    private double routing;

    private double lap() {
      long now = System.nanoTime();
      double ms = (now - mark) / 1e6;
      mark = now;
      return ms;
    }

    public void authDone() {
      auth = lap();
    }

    public void queueDone() {
      queue = lap();
    }

    /** Routing time adds up over retries. */
    public void routingDone() {
      routing += lap();
    }

    /** Marks the start of the processor phase (after a retry, too). */
    public void restartPhase() {
      lap();
    }

    public LatencyBreakdown finish(double processorMs, double engineTtftMs) {
      return new LatencyBreakdown(auth, queue, routing, processorMs, engineTtftMs, (System.nanoTime() - start) / 1e6);
    }
  }
}
