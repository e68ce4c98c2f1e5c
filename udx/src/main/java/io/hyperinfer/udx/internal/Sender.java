package io.hyperinfer.udx.internal;

import io.hyperinfer.udx.wire.PacketType;
import io.hyperinfer.udx.wire.SackBlocks;
import io.hyperinfer.udx.wire.UdxHeader;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The send path of a {@link StreamCore}: cuts written bytes and our END into packets, sends what the congestion and
 * peer windows allow, and processes the peer's acks and SACK blocks (RACK loss detection, NewReno). When to
 * retransmit on silence is {@link RetransmitTimers}'s job; it drives this class. Not thread-safe.
 */
final class Sender {
  private final PacketWriter out;
  private final StreamEvents events;
  private final StreamStats stats;
  private final SendBuffer buffer = new SendBuffer();
  private final SendWindow window = new SendWindow();
  private final ArrayDeque<Outgoing> retransmits = new ArrayDeque<>();
  private final NewReno cc = new NewReno();
  private final LossDetector loss;

  private int seq;
  private int remoteAcked;
  private int sackedInWindow;
  private int sendRwnd = StreamCore.DEFAULT_RWND;
  private int sendWl1;
  private int sendWl2;
  private boolean endQueued;
  private boolean endSent;
  private int endSeq;
  private boolean localEndAcked;

  Sender(PacketWriter out, RttEstimator rtt, StreamEvents events, StreamStats stats) {
    this.out = out;
    this.events = events;
    this.stats = stats;
    this.loss = new LossDetector(window, rtt);
  }

  /** The next seq to send. */
  int seq() {
    return seq;
  }

  int remoteAcked() {
    return remoteAcked;
  }

  /** Packets sent and not cumulatively acked. */
  int inFlight() {
    return window.size();
  }

  /** Packets the congestion window counts: sent, not acked, sacked or declared lost. */
  int pipe() {
    return window.pipe();
  }

  long lossDeadlineNs() {
    return loss.deadlineNs();
  }

  boolean endQueued() {
    return endQueued;
  }

  boolean localEndAcked() {
    return localEndAcked;
  }

  void write(byte[] data) {
    buffer.add(data);
  }

  void queueEnd() {
    endQueued = true;
  }

  /** Treats our END as acked although it is not (see {@link RetransmitTimers#onRetransmitTimeout}). */
  void abandonEnd() {
    localEndAcked = true;
  }

  void heartbeat() {
    out.header(PacketType.HEARTBEAT, seq);
  }

  /** DESTROY consumes a seq, as in libudx. */
  void destroy() {
    out.header(PacketType.DESTROY, seq);
    seq++;
  }

  /** Takes the peer's ack, window and SACK blocks; returns how many packets were newly delivered. */
  int onAck(UdxHeader h, int pseq, long nowNs) {
    int pack = h.ack();
    if (Seq.compare(pack, seq) > 0 || Seq.compare(pack, remoteAcked) < 0) {
      return 0;
    }
    if (Seq.compare(pseq, sendWl1) > 0 || (pseq == sendWl1 && Seq.compare(pack, sendWl2) >= 0)) {
      sendRwnd = h.rwnd();
      sendWl1 = pseq;
      sendWl2 = pack;
    }
    int delivered = 0;
    while (Seq.compare(remoteAcked, pack) < 0) {
      Outgoing p = window.removeOldest();
      remoteAcked++;
      if (p.sacked) {
        sackedInWindow--;
      } else {
        delivered++;
        loss.onDelivered(p, nowNs);
      }
      release(p);
    }
    delivered += applySacks(h, nowNs);
    if (delivered > 0) {
      cc.onDelivered(delivered, remoteAcked);
      if (endSent && Seq.compare(remoteAcked, endSeq) > 0) {
        localEndAcked = true;
      }
    }
    return delivered;
  }

  /**
   * Runs RACK and queues what it declares lost; returns whether anything was, in which case the caller flushes.
   */
  boolean detectLosses(long nowNs) {
    List<Outgoing> lost = loss.detect(nowNs, remoteAcked, sackedInWindow > 0);
    if (lost.isEmpty()) {
      return false;
    }
    for (Outgoing p : lost) {
      window.leavePipe(p);
      retransmits.add(p);
    }
    lost.clear();
    cc.onLoss(seq, remoteAcked);
    return true;
  }

  /** Sends what the windows allow: retransmissions first, then new data, then END. */
  void flush(long nowNs) {
    int limit = cc.cwnd();
    while (window.pipe() < limit && !retransmits.isEmpty()) {
      Outgoing p = retransmits.poll();
      if (p.lost && !p.sacked && Seq.compare(p.seq, remoteAcked) >= 0) {
        p.lost = false;
        stats.retransmits++;
        transmit(p, nowNs);
      }
    }
    while (window.pipe() < limit && !window.full() && hasUnsent()) {
      Outgoing p = nextPacket();
      if (p == null) {
        break;
      }
      window.add(p);
      transmit(p, nowNs);
    }
  }

  /** Nothing in flight, something to send, and the peer's window is shut: only a probe makes it ack. */
  boolean zeroWindowStalled() {
    return window.size() == 0 && sendRwnd == 0 && hasUnsent();
  }

  boolean onlyEndUnacked(boolean remoteEnded) {
    return remoteEnded && endSent && window.size() == 1 && window.get(0).type == PacketType.END;
  }

  /** RTO: every unsacked packet is lost; the congestion window collapses. */
  void onTimeout() {
    cc.onTimeout(seq);
    retransmits.clear();
    for (int i = 0; i < window.size(); i++) {
      Outgoing p = window.get(i);
      if (!p.sacked) {
        window.leavePipe(p);
        p.lost = true;
        retransmits.add(p);
      }
    }
  }

  /** Tail-loss probe: one packet beyond the congestion window, new data if any, else the last one unsacked. */
  void probe(long nowNs) {
    if (!buffer.isEmpty() && !window.full()) {
      Outgoing fresh = nextPacket();
      if (fresh != null) {
        window.add(fresh);
        transmit(fresh, nowNs);
        return;
      }
    }
    for (int i = window.size() - 1; i >= 0; i--) {
      Outgoing p = window.get(i);
      if (!p.sacked && !p.lost) {
        transmit(p, nowNs);
        return;
      }
    }
  }

  /** Sends the oldest unacked packet again: our END, once the stream closed with it unacked. */
  void retransmitOldest(long nowNs) {
    transmit(window.get(0), nowNs);
  }

  private int applySacks(UdxHeader h, long nowNs) {
    int delivered = 0;
    int blocks = Math.min(h.sackBlockCount(), SackBlocks.MAX_BLOCKS);
    // overlapping blocks from a hostile peer could make each packet walk the window 50 times: cap the walk
    int budget = 2 * window.size();
    for (int b = 0; b < blocks && budget > 0; b++) {
      int start = h.sackStart(b);
      int end = h.sackEnd(b);
      budget -= Math.max(0, end - start);
      delivered += applySack(start, end, nowNs);
    }
    return delivered;
  }

  private int applySack(int start, int end, long nowNs) {
    int from = start - remoteAcked;
    int to = end - remoteAcked;
    if (from < 0 || to <= from || to > window.size()) {
      stats.badSacks++;
      return 0;
    }
    int delivered = 0;
    for (int i = from; i < to; i++) {
      Outgoing p = window.get(i);
      if (!p.sacked) {
        p.sacked = true;
        sackedInWindow++;
        delivered++;
        loss.onDelivered(p, nowNs);
        window.leavePipe(p);
      }
    }
    return delivered;
  }

  private void release(Outgoing p) {
    window.leavePipe(p);
    if ((p.type & PacketType.DATA) != 0) {
      events.onAcked(p.payload.length);
    }
  }

  private boolean hasUnsent() {
    return !buffer.isEmpty() || (endQueued && !endSent);
  }

  private Outgoing nextPacket() {
    if (buffer.isEmpty()) {
      endSent = true;
      endSeq = seq;
      return new Outgoing(seq++, PacketType.END, new byte[0]);
    }
    long room = Integer.toUnsignedLong(sendRwnd) - window.pipeBytes();
    int size = (int) Math.min(StreamCore.MSS, Math.min(buffer.unsentBytes(), room));
    if (size <= 0) {
      return null;
    }
    return new Outgoing(seq++, PacketType.DATA, buffer.take(size));
  }

  private void transmit(Outgoing p, long nowNs) {
    p.sentNs = nowNs;
    p.transmits++;
    window.enterPipe(p);
    stats.packetsSent++;
    out.packet(p, nowNs);
  }
}
