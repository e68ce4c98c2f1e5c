package io.hyperinfer.udx.internal;

/**
 * The retransmission timers of a {@link StreamCore} and the {@link Sender} they drive: the RTO with its ETIMEDOUT
 * budget, the tail-loss probe (and the HEARTBEAT probe of a shut peer window), and the resending of our END after
 * a clean close with it unacked. Closing is the core's job: {@link #onRetransmitTimeout} says when. Not
 * thread-safe.
 *
 * <p>The RTO schedule is libudx's ({@code udx_rto_timeout}): the first RTO after progress waits one RTO; every
 * retry after that waits twice the RTO, the RTO itself left as it was (no RFC 6298 doubling on each timeout), and
 * the seventh expiry in a row fails the stream. A peer that vanishes is thus given up after
 * {@code rto + 12 * max(rto, 1 s)}: 13 s at the initial RTO of 1 s, as libudx takes. Doubling instead, from an RTO of
 * 1 s, took 91 s, which looked like a stream that never gave up.
 */
final class RetransmitTimers {
  /** Consecutive RTOs without progress before the stream fails with ETIMEDOUT (libudx: 6). */
  static final int MAX_TIMEOUTS = 6;
  /** RTOs after which an unacked END is given up when the peer already ended (see onRetransmitTimeout). */
  static final int END_TIMEOUTS = 2;
  /** Tail-loss probes without progress before only the RTO is left. */
  static final int MAX_PROBES = 2;
  /**
   * libudx's minimum RTO. Ours is 200 ms (see {@link RttEstimator}), which only speeds up the first RTO: retries wait
   * twice the RTO but never less than twice this, so the time to ETIMEDOUT is libudx's.
   */
  static final long RETRY_RTO_FLOOR_NS = 1_000_000_000L;

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
      rtoDeadlineNs = nowNs + rtoIntervalNs();
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

  /** The next RTO from now while packets are in flight, else off. */
  void restartRto(long nowNs) {
    rtoDeadlineNs = sender.inFlight() == 0 ? Long.MAX_VALUE : nowNs + rtoIntervalNs();
  }

  /** One RTO after progress; after a timeout, libudx's retry interval: twice the RTO, at least 2 s. */
  private long rtoIntervalNs() {
    return timeouts == 0 ? rtt.rtoNs() : 2 * Math.max(rtt.rtoNs(), RETRY_RTO_FLOOR_NS);
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
    sender.retransmitOldest(nowNs);
    rtoDeadlineNs = nowNs + rtoIntervalNs();
  }
}
