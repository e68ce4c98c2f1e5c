package io.hyperinfer.udx.internal;

/**
 * The retransmission timers of a {@link StreamCore} and the {@link Sender} they drive: the RTO with its ETIMEDOUT
 * budget, the tail-loss probe (and the HEARTBEAT probe of a shut peer window), and the resending of our END after
 * a clean close with it unacked. Closing is the core's job: {@link #onRetransmitTimeout} says when. Not
 * thread-safe.
 */
final class RetransmitTimers {
  /** Consecutive RTOs without progress before the stream fails with ETIMEDOUT (libudx: 6). */
  static final int MAX_TIMEOUTS = 6;
  /** RTOs after which an unacked END is given up when the peer already ended (see onRetransmitTimeout). */
  static final int END_TIMEOUTS = 2;
  /** Tail-loss probes without progress before only the RTO is left. */
  static final int MAX_PROBES = 2;

  /** What an expired RTO asks of the core. */
  enum Expiry {
    /** Nothing in flight. */
    NONE,
    /** Every unsacked packet was queued again: flush, then {@link #restartRto}. */
    RETRANSMIT,
    /** Only our END is unacked and the peer ended: close cleanly, then {@link #lingerWithEnd}. */
    CLOSE_CLEANLY,
    /** The budget is spent: fail with ETIMEDOUT. */
    TIMED_OUT
  }

  private final Sender sender;
  private final RttEstimator rtt;
  private final StreamStats stats;
  private long rtoDeadlineNs = Long.MAX_VALUE;
  private long probeDeadlineNs = Long.MAX_VALUE;
  private int timeouts;
  private int probesSinceProgress;
  /** Closed cleanly with our END still unacked: the END is resent on the RTO schedule (TCP's LAST-ACK). */
  private boolean endLingering;

  RetransmitTimers(Sender sender, RttEstimator rtt, StreamStats stats) {
    this.sender = sender;
    this.rtt = rtt;
    this.stats = stats;
  }

  /** Earliest RTO or probe deadline while open. */
  long deadlineNs() {
    return Math.min(rtoDeadlineNs, probeDeadlineNs);
  }

  /** The next END resend once closed, or {@link Long#MAX_VALUE}. */
  long lingerDeadlineNs() {
    return endLingering ? rtoDeadlineNs : Long.MAX_VALUE;
  }

  boolean rtoDue(long nowNs) {
    return nowNs >= rtoDeadlineNs;
  }

  boolean probeDue(long nowNs) {
    return nowNs >= probeDeadlineNs;
  }

  /** Arms what a flush left pending: the RTO for packets in flight, a tail-loss or zero-window probe. */
  void afterFlush(long nowNs) {
    if (sender.inFlight() > 0 && rtoDeadlineNs == Long.MAX_VALUE) {
      rtoDeadlineNs = nowNs + rtt.rtoNs();
    }
    if (sender.inFlight() > 0 && sender.pipe() > 0 && probesSinceProgress < MAX_PROBES) {
      long pto = Math.max(2 * rtt.srttNs(), 2_000_000L);
      probeDeadlineNs = Math.min(probeDeadlineNs, nowNs + pto);
    }
    if (sender.zeroWindowStalled() && probeDeadlineNs == Long.MAX_VALUE) {
      probeDeadlineNs = nowNs + rtt.rtoNs();
    }
  }

  /** An ack delivered new packets: the timeout and probe budgets start over. */
  void onProgress() {
    timeouts = 0;
    probesSinceProgress = 0;
    probeDeadlineNs = Long.MAX_VALUE;
  }

  /** One RTO from now while packets are in flight, else off. */
  void restartRto(long nowNs) {
    rtoDeadlineNs = sender.inFlight() == 0 ? Long.MAX_VALUE : nowNs + rtt.rtoNs();
  }

  Expiry onRetransmitTimeout(boolean remoteEnded) {
    rtoDeadlineNs = Long.MAX_VALUE;
    if (sender.inFlight() == 0) {
      return Expiry.NONE;
    }
    if (sender.onlyEndUnacked(remoteEnded) && timeouts + 1 >= END_TIMEOUTS) {
      // The peer ended, has all our data, and went silent: either libudx closed once it held our END and its last
      // ack was lost, or every copy of our END was lost and the peer, with nothing left to send, waits for it with
      // no timer of its own. Nothing is at stake for us, so close cleanly now, but keep resending the END with the
      // full retransmission budget, as libudx would, so that in the second case the peer still gets to close.
      return Expiry.CLOSE_CLEANLY;
    }
    if (++timeouts > MAX_TIMEOUTS) {
      return Expiry.TIMED_OUT;
    }
    stats.timeouts++;
    rtt.backoff();
    sender.onTimeout();
    return Expiry.RETRANSMIT;
  }

  /** After the clean close of {@link Expiry#CLOSE_CLEANLY}: resend our END until acked or the budget is spent. */
  void lingerWithEnd(long nowNs) {
    endLingering = true;
    resendEnd(nowNs);
  }

  /** Closed: resends our END if it is due. */
  void onLingerTimer(long nowNs) {
    if (endLingering && nowNs >= rtoDeadlineNs) {
      resendEnd(nowNs);
    }
  }

  /** Closed: a packet acking {@code ack} arrived; our END is held once it acks our next seq. */
  void onLingerAck(int ack) {
    if (endLingering && ack == sender.seq()) {
      endLingering = false; // the peer holds our END
      rtoDeadlineNs = Long.MAX_VALUE;
    }
  }

  /** Tail-loss probe: one packet beyond the congestion window, so a lost tail is repaired by RACK, not the RTO. */
  void sendLossProbe(long nowNs) {
    probeDeadlineNs = Long.MAX_VALUE;
    if (sender.inFlight() == 0) {
      if (sender.zeroWindowStalled()) {
        // the peer's window is shut: a HEARTBEAT makes it ack, which carries the reopened window
        stats.probes++;
        sender.heartbeat();
        probeDeadlineNs = nowNs + rtt.rtoNs();
      }
      return;
    }
    stats.probes++;
    probesSinceProgress++;
    sender.probe(nowNs);
  }

  void stop() {
    rtoDeadlineNs = Long.MAX_VALUE;
    probeDeadlineNs = Long.MAX_VALUE;
  }

  private void resendEnd(long nowNs) {
    rtoDeadlineNs = Long.MAX_VALUE;
    if (++timeouts > MAX_TIMEOUTS) {
      endLingering = false;
      return;
    }
    stats.timeouts++;
    stats.retransmits++;
    rtt.backoff();
    sender.retransmitOldest(nowNs);
    rtoDeadlineNs = nowNs + rtt.rtoNs();
  }
}
