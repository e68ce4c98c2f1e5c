package io.hyperinfer.udx.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Time-based loss detection after RACK (RFC 8985): a packet is lost once a packet sent after it was delivered and
 * one RTT plus a reordering window has passed since it was sent. Works for retransmissions too, where duplicate-ack
 * counting does not. Not thread-safe.
 */
final class LossDetector {
  private static final long MIN_REORDER_WINDOW_NS = 1_000_000L;

  private final SendWindow window;
  private final RttEstimator rtt;
  private final List<Outgoing> lost = new ArrayList<>();
  private long rackSentNs = Long.MIN_VALUE;
  private int rackSeq;
  private long rackRttNs;
  private long deadlineNs = Long.MAX_VALUE;

  LossDetector(SendWindow window, RttEstimator rtt) {
    this.window = window;
    this.rtt = rtt;
  }

  long deadlineNs() {
    return deadlineNs;
  }

  /** A packet was acked or sacked for the first time. */
  void onDelivered(Outgoing p, long nowNs) {
    long sample = nowNs - p.sentNs;
    if (p.transmits == 1) {
      rtt.sample(sample);
    } else if (sample < rtt.minRttNs()) {
      return; // acks the original transmission, not the retransmission: says nothing about ordering
    }
    if (p.sentNs > rackSentNs || (p.sentNs == rackSentNs && Seq.compare(p.seq, rackSeq) > 0)) {
      rackSentNs = p.sentNs;
      rackSeq = p.seq;
      rackRttNs = sample;
    }
  }

  /**
   * Marks newly lost packets ({@link Outgoing#lost}) and returns them; the caller empties the list. Only packets
   * below the most recently delivered seq can be lost, and with no SACKed packet there is no gap at all.
   */
  List<Outgoing> detect(long nowNs, int remoteAcked, boolean anySacked) {
    deadlineNs = Long.MAX_VALUE;
    if (!anySacked || rackSentNs == Long.MIN_VALUE) {
      return lost;
    }
    long reorder = Math.max(rtt.minRttNs() / 4, MIN_REORDER_WINDOW_NS);
    int limit = Math.min(window.size(), rackSeq - remoteAcked);
    for (int i = 0; i < limit; i++) {
      Outgoing p = window.get(i);
      if (p.sacked || p.lost || !p.inPipe || !sentBeforeRack(p)) {
        continue;
      }
      long when = p.sentNs + rackRttNs + reorder;
      if (when <= nowNs) {
        p.lost = true;
        lost.add(p);
      } else {
        deadlineNs = Math.min(deadlineNs, when);
      }
    }
    return lost;
  }

  private boolean sentBeforeRack(Outgoing p) {
    return p.sentNs < rackSentNs || (p.sentNs == rackSentNs && Seq.compare(p.seq, rackSeq) < 0);
  }
}
