package io.hyperinfer.udx.internal;

/**
 * Round-trip estimator and retransmission timeout per RFC 6298. The minimum RTO is 200 ms rather than the RFC's 1 s
 * (as Linux TCP does): with RACK and a tail-loss probe in front of it, the RTO is a last resort, and a 1 s floor
 * turns every tail loss on a lossy path into a second of stall. A timeout does not double the RTO (RFC 6298 5.5):
 * {@link RetransmitTimers} spaces its retries as libudx does. Not thread-safe.
 */
final class RttEstimator {
  static final long INITIAL_RTO_NS = 1_000_000_000L;
  static final long MIN_RTO_NS = 200_000_000L;
  static final long MAX_RTO_NS = 30_000_000_000L;
  private static final long GRANULARITY_NS = 1_000_000L;

  private long srttNs;
  private long rttvarNs;
  private long minRttNs = Long.MAX_VALUE;
  private long rtoNs = INITIAL_RTO_NS;

  void sample(long rttNs) {
    long r = Math.max(rttNs, 1);
    if (srttNs == 0) {
      srttNs = r;
      rttvarNs = r / 2;
    } else {
      rttvarNs = (3 * rttvarNs + Math.abs(srttNs - r)) / 4;
      srttNs = (7 * srttNs + r) / 8;
    }
    minRttNs = Math.min(minRttNs, r);
    rtoNs = clamp(srttNs + Math.max(GRANULARITY_NS, 4 * rttvarNs));
  }

  long rtoNs() {
    return rtoNs;
  }

  /** Smoothed RTT, or the initial RTO before the first sample. */
  long srttNs() {
    return srttNs == 0 ? INITIAL_RTO_NS : srttNs;
  }

  long minRttNs() {
    return minRttNs == Long.MAX_VALUE ? srttNs() : minRttNs;
  }

  boolean hasSample() {
    return srttNs != 0;
  }

  private static long clamp(long rto) {
    return Math.min(MAX_RTO_NS, Math.max(MIN_RTO_NS, rto));
  }
}
