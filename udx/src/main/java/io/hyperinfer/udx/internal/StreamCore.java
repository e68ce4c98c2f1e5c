package io.hyperinfer.udx.internal;

import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.wire.PacketType;
import io.hyperinfer.udx.wire.SackBlocks;
import io.hyperinfer.udx.wire.UdxHeader;
import java.util.ArrayDeque;
import java.util.function.IntSupplier;

/**
 * The UDX stream protocol without I/O: packets and the time go in ({@link #onPacket}, {@link #onTimer}, the write
 * calls), datagrams to send and delivered bytes come out through {@link StreamEvents}, and {@link #deadlineNs} says
 * when to call back. Behaviour follows libudx {@code process_packet}: ack every DATA/END at once with SACK blocks,
 * deliver in order, retransmit with the same seq. Not thread-safe: confined to the socket loop that owns the stream
 * (or to a test).
 */
public final class StreamCore {
  /** Payload per packet: the 1200-byte base MTU minus IPv4 (20), UDP (8) and UDX (20) headers. */
  public static final int MSS = 1152;
  /** The receive window libudx advertises when the application never pushes back. */
  public static final int DEFAULT_RWND = 4 << 20;
  /** Consecutive RTOs without progress before the stream fails with ETIMEDOUT (libudx: 6). */
  static final int MAX_TIMEOUTS = 6;
  /** RTOs after which an unacked END is given up when the peer already ended (see onRetransmitTimeout). */
  static final int END_TIMEOUTS = 2;
  /** Tail-loss probes without progress before only the RTO is left. */
  static final int MAX_PROBES = 2;
  /** Unread bytes above which DATA is dropped, whatever the peer does with our advertised window. */
  static final int MAX_UNREAD = 2 * DEFAULT_RWND;
  /** Largest MESSAGE payload that fits one UDP datagram. */
  public static final int MAX_MESSAGE = 65507 - UdxHeader.LENGTH;

  private final int localId;
  private final StreamEvents events;
  private final SendWindow window = new SendWindow();
  private final ReceiveWindow incoming = new ReceiveWindow();
  private final ArrayDeque<Outgoing> retransmits = new ArrayDeque<>();
  private final ArrayDeque<byte[]> writes = new ArrayDeque<>();
  private final RttEstimator rtt = new RttEstimator();
  private final NewReno cc = new NewReno();
  private final LossDetector loss;
  private final byte[] scratch = new byte[UdxHeader.LENGTH + MAX_MESSAGE];
  private final int[] sackPairs = new int[2 * SackBlocks.MAX_BLOCKS];
  private IntSupplier unreadBytes = () -> 0;

  private int remoteId;
  private boolean connected;
  private boolean closed;
  private boolean cleanlyClosed;
  private int seq;
  private int ack;
  private int remoteAcked;
  private int sendRwnd = DEFAULT_RWND;
  private int sendWl1;
  private int sendWl2;
  private int writeHeadOffset;
  /** Written and not yet acked. */
  private long queuedBytes;
  /** Written and not yet packetized. */
  private long unsentBytes;
  private int sackedInWindow;
  private boolean endQueued;
  private boolean endSent;
  private int endSeq;
  private boolean localEndAcked;
  private boolean remoteEnded;
  /** Closed cleanly with our END still unacked: the END is resent on the RTO schedule (TCP's LAST-ACK). */
  private boolean endLingering;
  private int timeouts;
  private int probesSinceProgress;
  private long rtoDeadlineNs = Long.MAX_VALUE;
  private long probeDeadlineNs = Long.MAX_VALUE;
  private long idleTimeoutNs;
  private long lastReceiveNs;
  private long keepaliveNs;
  private long lastSendNs;
  private final StreamStats stats = new StreamStats();

  public StreamCore(int localId, StreamEvents events) {
    this.localId = localId;
    this.events = events;
    this.loss = new LossDetector(window, rtt);
  }

  public int localId() {
    return localId;
  }

  public int remoteId() {
    return remoteId;
  }

  public boolean connected() {
    return connected;
  }

  public boolean closed() {
    return closed;
  }

  public int seq() {
    return seq;
  }

  public int remoteAcked() {
    return remoteAcked;
  }

  public StreamStats stats() {
    return stats;
  }

  /** Bytes the application has not read yet; shrinks the advertised receive window (backpressure on the peer). */
  public void unreadBytes(IntSupplier supplier) {
    this.unreadBytes = supplier;
  }

  /** Fail with ETIMEDOUT when nothing arrives for this long; 0 (the default) disables it. */
  public void idleTimeoutNs(long ns, long nowNs) {
    this.idleTimeoutNs = ns;
    this.lastReceiveNs = nowNs;
  }

  /** Sends a HEARTBEAT after this long without sending anything (libudx setKeepalive); 0 (default) disables. */
  public void keepaliveNs(long ns, long nowNs) {
    this.keepaliveNs = ns;
    this.lastSendNs = nowNs;
  }

  /** Records the peer's id. Nothing is sent: UDX has no handshake packet. */
  public void connect(int remoteId, long nowNs) {
    if (closed) {
      throw UdxException.badState("stream is closed");
    }
    if (connected) {
      throw UdxException.badState("stream is already connected");
    }
    this.remoteId = remoteId;
    this.connected = true;
    this.lastReceiveNs = nowNs;
    flush(nowNs);
  }

  /** Points the stream at a new remote id (changeRemote, after the old path drained). */
  public void remoteId(int id) {
    this.remoteId = id;
  }

  /** Queues bytes to send reliably and in order; the array must not be changed afterwards. */
  public void write(byte[] data, long nowNs) {
    if (closed) {
      throw UdxException.destroyed();
    }
    if (endQueued) {
      throw UdxException.badState("stream already ended");
    }
    if (data.length == 0) {
      return;
    }
    writes.add(data);
    queuedBytes += data.length;
    unsentBytes += data.length;
    flush(nowNs);
  }

  /** Half-closes: an END packet follows the queued data. */
  public void end(long nowNs) {
    if (closed || endQueued) {
      return;
    }
    endQueued = true;
    flush(nowNs);
  }

  /** Sends one unreliable MESSAGE datagram; it carries the current seq but does not consume it. */
  public void sendMessage(byte[] data) {
    if (closed) {
      throw UdxException.destroyed();
    }
    if (!connected) {
      throw UdxException.badState("stream is not connected");
    }
    if (data.length > MAX_MESSAGE) {
      throw UdxException.badArgument("message larger than a datagram: " + data.length);
    }
    UdxHeader.write(scratch, 0, PacketType.MESSAGE, 0, remoteId, advertisedWindow(), seq, ack);
    System.arraycopy(data, 0, scratch, UdxHeader.LENGTH, data.length);
    emit(UdxHeader.LENGTH + data.length);
  }

  /** Aborts: one DESTROY to the peer if connected, then closes without error on this side. */
  public void destroy() {
    if (closed) {
      return;
    }
    if (connected) {
      sendHeader(PacketType.DESTROY);
      seq++;
    }
    close(null);
  }

  /** Fails the stream locally with {@code error} without telling the peer. */
  public void fail(UdxException error) {
    if (!closed) {
      close(error);
    }
  }

  /** Sends a pure ACK now, e.g. to announce a receive window that reopened after the application read. */
  public void sendAck() {
    if (!connected || (closed && !cleanlyClosed)) {
      return;
    }
    int blocks = incoming.sackBlocks(ack, sackPairs, SackBlocks.MAX_BLOCKS);
    UdxHeader.write(scratch, 0, blocks > 0 ? PacketType.SACK : 0, 0, remoteId, advertisedWindow(), seq, ack);
    SackBlocks.write(scratch, UdxHeader.LENGTH, sackPairs, blocks);
    stats.acksSent++;
    emit(UdxHeader.LENGTH + blocks * SackBlocks.BLOCK_LENGTH);
  }

  /** Processes one received packet addressed to this stream; {@code h} is only read during the call. */
  public void onPacket(UdxHeader h, long nowNs) {
    int type = h.type();
    if (closed) {
      if (cleanlyClosed && PacketType.consumesSeq(type)) {
        sendAck(); // our last ack may have been lost: the peer is still retransmitting its END
      }
      if (endLingering && h.ack() == seq) {
        endLingering = false; // the peer holds our END
        rtoDeadlineNs = Long.MAX_VALUE;
      }
      return;
    }
    lastReceiveNs = nowNs;
    stats.packetsReceived++;
    if ((type & PacketType.HEARTBEAT) != 0) {
      sendAck();
      return;
    }
    int pseq = h.seq();
    if (Seq.compare(pseq, ack) >= 0) {
      if (PacketType.consumesSeq(type)) {
        receive(pseq, type, h);
      }
      if ((type & PacketType.DESTROY) != 0) {
        close(UdxException.connectionReset());
        return;
      }
    }
    if ((type & PacketType.MESSAGE) != 0) {
      events.onMessage(h.copyPayload());
    }
    if (closed) {
      return;
    }
    drainInOrder();
    if (closed) {
      return;
    }
    onAck(h, pseq, nowNs);
    if (closed) {
      return;
    }
    if (PacketType.consumesSeq(type)) {
      sendAck();
    }
    if (localEndAcked && remoteEnded) {
      close(null);
      return;
    }
    flush(nowNs);
  }

  /** Earliest time {@link #onTimer} has work, or {@link Long#MAX_VALUE}. */
  public long deadlineNs() {
    if (closed) {
      return endLingering ? rtoDeadlineNs : Long.MAX_VALUE;
    }
    long d = Math.min(rtoDeadlineNs, probeDeadlineNs);
    d = Math.min(d, loss.deadlineNs());
    if (idleTimeoutNs > 0 && connected) {
      d = Math.min(d, lastReceiveNs + idleTimeoutNs);
    }
    if (keepaliveNs > 0 && connected) {
      d = Math.min(d, lastSendNs + keepaliveNs);
    }
    return d;
  }

  public void onTimer(long nowNs) {
    if (closed) {
      if (endLingering && nowNs >= rtoDeadlineNs) {
        resendEnd(nowNs);
      }
      return;
    }
    if (idleTimeoutNs > 0 && connected && nowNs - lastReceiveNs >= idleTimeoutNs) {
      close(UdxException.timedOut("no packet from the peer for " + idleTimeoutNs / 1_000_000 + " ms"));
      return;
    }
    if (keepaliveNs > 0 && connected && nowNs - lastSendNs >= keepaliveNs) {
      sendHeader(PacketType.HEARTBEAT);
      lastSendNs = nowNs;
    }
    if (nowNs >= rtoDeadlineNs) {
      onRetransmitTimeout(nowNs);
      return;
    }
    if (nowNs >= loss.deadlineNs()) {
      markLost(loss.detect(nowNs, remoteAcked, sackedInWindow > 0), nowNs);
    }
    if (nowNs >= probeDeadlineNs) {
      sendLossProbe(nowNs);
    }
    flush(nowNs);
  }

  private void receive(int pseq, int type, UdxHeader h) {
    if (unreadBytes.getAsInt() >= MAX_UNREAD) {
      stats.dropped++; // a peer ignoring our window: refuse the bytes, it will retransmit once we read
      return;
    }
    if (pseq == ack) {
      deliver(type, h.copyPayload());
      return;
    }
    if (!incoming.accepts(pseq, ack)) {
      stats.dropped++;
      return;
    }
    if (!incoming.holds(pseq)) {
      incoming.put(pseq, type, h.copyPayload());
      stats.outOfOrder++;
    }
  }

  private void drainInOrder() {
    while (!closed && incoming.holds(ack)) {
      int type = incoming.typeAt(ack);
      deliver(type, incoming.take(ack));
    }
  }

  private void deliver(int type, byte[] payload) {
    ack++;
    if ((type & PacketType.DATA) != 0 && payload.length > 0) {
      stats.bytesDelivered += payload.length;
      events.onData(payload);
    }
    if ((type & PacketType.END) != 0 && !remoteEnded) {
      remoteEnded = true;
      events.onEnd();
    }
  }

  private void onAck(UdxHeader h, int pseq, long nowNs) {
    int pack = h.ack();
    if (Seq.compare(pack, seq) > 0 || Seq.compare(pack, remoteAcked) < 0) {
      return;
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
    int blocks = Math.min(h.sackBlockCount(), SackBlocks.MAX_BLOCKS);
    // overlapping blocks from a hostile peer could make each packet walk the window 50 times: cap the walk
    int budget = 2 * window.size();
    for (int b = 0; b < blocks && budget > 0; b++) {
      int start = h.sackStart(b);
      int end = h.sackEnd(b);
      budget -= Math.max(0, end - start);
      delivered += applySack(start, end, nowNs);
    }
    if (delivered == 0) {
      return;
    }
    timeouts = 0;
    probesSinceProgress = 0;
    probeDeadlineNs = Long.MAX_VALUE;
    cc.onDelivered(delivered, remoteAcked);
    markLost(loss.detect(nowNs, remoteAcked, sackedInWindow > 0), nowNs);
    if (endSent && Seq.compare(remoteAcked, endSeq) > 0) {
      localEndAcked = true;
    }
    rtoDeadlineNs = window.size() == 0 ? Long.MAX_VALUE : nowNs + rtt.rtoNs();
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
      queuedBytes -= p.payload.length;
      events.onAcked(p.payload.length);
    }
  }

  private void markLost(java.util.List<Outgoing> lost, long nowNs) {
    if (lost.isEmpty()) {
      return;
    }
    for (Outgoing p : lost) {
      window.leavePipe(p);
      retransmits.add(p);
    }
    lost.clear();
    cc.onLoss(seq, remoteAcked);
    flush(nowNs);
  }

  private void onRetransmitTimeout(long nowNs) {
    rtoDeadlineNs = Long.MAX_VALUE;
    if (window.size() == 0) {
      return;
    }
    if (onlyEndUnacked() && timeouts + 1 >= END_TIMEOUTS) {
      // The peer ended, has all our data, and went silent: either libudx closed once it held our END and its last
      // ack was lost, or every copy of our END was lost and the peer, with nothing left to send, waits for it with
      // no timer of its own. Nothing is at stake for us, so close cleanly now, but keep resending the END with the
      // full retransmission budget, as libudx would, so that in the second case the peer still gets to close.
      localEndAcked = true;
      close(null);
      endLingering = true;
      resendEnd(nowNs);
      return;
    }
    if (++timeouts > MAX_TIMEOUTS) {
      close(UdxException.timedOut("peer did not acknowledge after " + MAX_TIMEOUTS + " retransmission timeouts"));
      return;
    }
    stats.timeouts++;
    rtt.backoff();
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
    flush(nowNs);
    rtoDeadlineNs = nowNs + rtt.rtoNs();
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
    transmit(window.get(0), nowNs);
    rtoDeadlineNs = nowNs + rtt.rtoNs();
  }

  private boolean onlyEndUnacked() {
    return remoteEnded && endSent && window.size() == 1 && window.get(0).type == PacketType.END;
  }

  /** Tail-loss probe: one packet beyond the congestion window, so a lost tail is repaired by RACK, not the RTO. */
  private void sendLossProbe(long nowNs) {
    probeDeadlineNs = Long.MAX_VALUE;
    if (window.size() == 0) {
      if (zeroWindowStalled()) {
        // the peer's window is shut: a HEARTBEAT makes it ack, which carries the reopened window
        stats.probes++;
        sendHeader(PacketType.HEARTBEAT);
        probeDeadlineNs = nowNs + rtt.rtoNs();
      }
      return;
    }
    stats.probes++;
    probesSinceProgress++;
    if (!writes.isEmpty() && !window.full()) {
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

  /** Sends what the windows allow: retransmissions first, then new data, then END. */
  private void flush(long nowNs) {
    if (!connected || closed) {
      return;
    }
    int limit = cc.cwnd();
    while (window.pipe() < limit && !retransmits.isEmpty()) {
      Outgoing p = retransmits.poll();
      if (p.lost && !p.sacked && Seq.compare(p.seq, remoteAcked) >= 0) {
        p.lost = false;
        stats.retransmits++;
        transmit(p, nowNs);
      }
    }
    while (window.pipe() < limit && !window.full() && (!writes.isEmpty() || (endQueued && !endSent))) {
      Outgoing p = nextPacket();
      if (p == null) {
        break;
      }
      window.add(p);
      transmit(p, nowNs);
    }
    if (window.size() > 0 && rtoDeadlineNs == Long.MAX_VALUE) {
      rtoDeadlineNs = nowNs + rtt.rtoNs();
    }
    if (window.size() > 0 && window.pipe() > 0 && probesSinceProgress < MAX_PROBES) {
      long pto = Math.max(2 * rtt.srttNs(), 2_000_000L);
      probeDeadlineNs = Math.min(probeDeadlineNs, nowNs + pto);
    }
    if (zeroWindowStalled() && probeDeadlineNs == Long.MAX_VALUE) {
      probeDeadlineNs = nowNs + rtt.rtoNs();
    }
  }

  private boolean zeroWindowStalled() {
    return window.size() == 0 && sendRwnd == 0 && (!writes.isEmpty() || (endQueued && !endSent));
  }

  private Outgoing nextPacket() {
    if (writes.isEmpty()) {
      endSent = true;
      endSeq = seq;
      return new Outgoing(seq++, PacketType.END, new byte[0]);
    }
    long room = Integer.toUnsignedLong(sendRwnd) - window.pipeBytes();
    int size = (int) Math.min(MSS, Math.min(unsentBytes, room));
    if (size <= 0) {
      return null;
    }
    byte[] payload = new byte[size];
    int filled = 0;
    while (filled < size) {
      byte[] head = writes.peek();
      int n = Math.min(size - filled, head.length - writeHeadOffset);
      System.arraycopy(head, writeHeadOffset, payload, filled, n);
      filled += n;
      writeHeadOffset += n;
      if (writeHeadOffset == head.length) {
        writes.poll();
        writeHeadOffset = 0;
      }
    }
    unsentBytes -= size;
    return new Outgoing(seq++, PacketType.DATA, payload);
  }

  private void transmit(Outgoing p, long nowNs) {
    UdxHeader.write(scratch, 0, p.type, 0, remoteId, advertisedWindow(), p.seq, ack);
    System.arraycopy(p.payload, 0, scratch, UdxHeader.LENGTH, p.payload.length);
    p.sentNs = nowNs;
    p.transmits++;
    window.enterPipe(p);
    stats.packetsSent++;
    lastSendNs = nowNs;
    emit(UdxHeader.LENGTH + p.payload.length);
  }

  private void sendHeader(int type) {
    UdxHeader.write(scratch, 0, type, 0, remoteId, advertisedWindow(), seq, ack);
    emit(UdxHeader.LENGTH);
  }

  private void emit(int len) {
    lastSendNs = Math.max(lastSendNs, lastReceiveNs);
    events.send(scratch, len);
  }

  private int advertisedWindow() {
    return Math.max(0, DEFAULT_RWND - unreadBytes.getAsInt());
  }

  private void close(UdxException error) {
    closed = true;
    cleanlyClosed = error == null && remoteEnded && localEndAcked;
    rtoDeadlineNs = Long.MAX_VALUE;
    probeDeadlineNs = Long.MAX_VALUE;
    events.onClose(error);
  }
}
