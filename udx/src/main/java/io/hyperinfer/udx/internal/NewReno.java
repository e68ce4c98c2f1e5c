package io.hyperinfer.udx.internal;

/**
 * NewReno congestion control counted in packets (RFC 5681, RFC 6582): slow start, congestion avoidance, one window
 * reduction per loss episode, and a collapse to {@link #LOSS_WINDOW} packets on RTO. libudx runs BBR; any AIMD that
 * respects the peer's window interoperates with it. Not thread-safe.
 */
final class NewReno {
  static final int INITIAL_CWND = 10;
  /**
   * The window after an RTO: 4 packets, where RFC 5681 says 1. A stream gives up after 6 RTOs in a row without
   * progress, as libudx does, and libudx's BBR never lets its window drop below 4 packets, so each of its RTO rounds
   * resends up to 4 packets. With one, a round fails whenever that packet or its ack is lost: 36% of rounds on a
   * path losing 20% each way, and then six failed rounds in a row (ETIMEDOUT) ended about 1 in 75 transfers of
   * 1 MiB (StreamCoreTest, and the lossy-relay interop test that stalled).
   */
  static final int LOSS_WINDOW = 4;
  static final int MAX_CWND = 1 << 15;
  private static final int INITIAL_SSTHRESH = 0xFFFF;

  private int cwnd = INITIAL_CWND;
  private int ssthresh = INITIAL_SSTHRESH;
  private int avoidanceCount;
  private boolean recovering;
  private int recoveryEnd;
  private boolean guarded;
  private int reductionGuardEnd;

  int cwnd() {
    return cwnd;
  }

  boolean recovering() {
    return recovering;
  }

  /** {@code delivered} packets were newly acked; {@code remoteAcked} is the cumulative ack now. */
  void onDelivered(int delivered, int remoteAcked) {
    if (recovering && Seq.compare(remoteAcked, recoveryEnd) >= 0) {
      recovering = false;
    }
    if (recovering || delivered <= 0) {
      return;
    }
    if (cwnd < ssthresh) {
      cwnd = Math.min(MAX_CWND, cwnd + delivered);
      return;
    }
    avoidanceCount += delivered;
    if (avoidanceCount >= cwnd) {
      avoidanceCount -= cwnd;
      cwnd = Math.min(MAX_CWND, cwnd + 1);
    }
  }

  /** A loss was detected; halves the window once per episode, which ends when {@code nextSeq} is acked. */
  void onLoss(int nextSeq, int remoteAcked) {
    if (guarded && Seq.compare(remoteAcked, reductionGuardEnd) < 0) {
      return;
    }
    guarded = false;
    if (recovering) {
      return;
    }
    recovering = true;
    recoveryEnd = nextSeq;
    ssthresh = Math.max(cwnd / 2, 2);
    cwnd = ssthresh;
    avoidanceCount = 0;
  }

  /**
   * RTO: back to the loss window and slow start. Losses of packets sent before the timeout are part of this episode
   * and do not reduce the window again.
   */
  void onTimeout(int nextSeq) {
    ssthresh = Math.max(cwnd / 2, 2);
    cwnd = LOSS_WINDOW;
    avoidanceCount = 0;
    recovering = false;
    reductionGuardEnd = nextSeq;
    guarded = true;
  }
}
