package io.hyperinfer.udx.internal;

import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.wire.PacketType;
import io.hyperinfer.udx.wire.UdxHeader;
import java.util.function.IntSupplier;

/**
 * The UDX stream protocol without I/O: packets and the time go in ({@link #onPacket}, {@link #onTimer}, the write
 * calls), datagrams to send and delivered bytes come out through {@link StreamEvents}, and {@link #deadlineNs} says
 * when to call back. Behaviour follows libudx {@code process_packet}: ack every DATA/END at once with SACK blocks,
 * deliver in order, retransmit with the same seq. Not thread-safe: confined to the socket loop that owns the stream
 * (or to a test).
 *
 * <p>This class holds the stream's lifecycle (connected, closed) and sequences the parts, which each own their
 * state: {@link Receiver} (the receive path), {@link Sender} (the send path and ack processing),
 * {@link RetransmitTimers} (RTO, tail-loss probe, END resends after close), {@link IdleTimers} (idle timeout,
 * keepalive) and {@link PacketWriter} (datagram building). The order of the calls here is the protocol's order.
 */
public final class StreamCore {
  /** Payload per packet: the 1200-byte base MTU minus IPv4 (20), UDP (8) and UDX (20) headers. */
  public static final int MSS = 1152;
  /** The receive window libudx advertises when the application never pushes back. */
  public static final int DEFAULT_RWND = 4 << 20;
  /** Largest MESSAGE payload that fits one UDP datagram. */
  public static final int MAX_MESSAGE = 65507 - UdxHeader.LENGTH;
  /** New in-order DATA packets acked by one ACK at most (TCP's delayed-ack rule). */
  static final int ACK_EVERY = 2;
  /**
   * Longest an ack waits for a packet to ride on. Below our 2 ms floor on the loss probe, and within the 2 ms ack
   * delay libudx allows for in its own probe timeout.
   */
  public static final long ACK_DELAY_NS = 1_000_000L;

  private final int localId;
  private final StreamEvents events;
  private final StreamStats stats = new StreamStats();
  private final Receiver receiver;
  private final IdleTimers idle = new IdleTimers();
  private final PacketWriter writer;
  private final Sender sender;
  private final RetransmitTimers timers;

  private boolean connected;
  private boolean closed;
  private boolean cleanlyClosed;

  public StreamCore(int localId, StreamEvents events) {
    this.localId = localId;
    this.events = events;
    this.receiver = new Receiver(events, stats);
    this.writer = new PacketWriter(events, receiver, idle, stats);
    RttEstimator rtt = new RttEstimator();
    this.sender = new Sender(writer, rtt, events, stats);
    this.timers = new RetransmitTimers(sender, rtt, stats);
  }

  public int localId() {
    return localId;
  }

  public int remoteId() {
    return writer.remoteId();
  }

  public boolean connected() {
    return connected;
  }

  public boolean closed() {
    return closed;
  }

  public int seq() {
    return sender.seq();
  }

  public int remoteAcked() {
    return sender.remoteAcked();
  }

  public StreamStats stats() {
    return stats;
  }

  /** Bytes the application has not read yet; shrinks the advertised receive window (backpressure on the peer). */
  public void unreadBytes(IntSupplier supplier) {
    receiver.unreadBytes(supplier);
  }

  /** Fail with ETIMEDOUT when nothing arrives for this long; 0 (the default) disables it. */
  public void idleTimeoutNs(long ns, long nowNs) {
    idle.idleTimeoutNs(ns, nowNs);
  }

  /** Sends a HEARTBEAT after this long without sending anything (libudx setKeepalive); 0 (default) disables. */
  public void keepaliveNs(long ns, long nowNs) {
    idle.keepaliveNs(ns, nowNs);
  }

  /** Records the peer's id. Nothing is sent: UDX has no handshake packet. */
  public void connect(int remoteId, long nowNs) {
    if (closed) {
      throw UdxException.badState("stream is closed");
    }
    if (connected) {
      throw UdxException.badState("stream is already connected");
    }
    writer.remoteId(remoteId);
    this.connected = true;
    idle.received(nowNs);
    flush(nowNs);
  }

  /** Points the stream at a new remote id (changeRemote, after the old path drained). */
  public void remoteId(int id) {
    writer.remoteId(id);
  }

  /** Queues bytes to send reliably and in order; the array must not be changed afterwards. */
  public void write(byte[] data, long nowNs) {
    if (closed) {
      throw UdxException.destroyed();
    }
    if (sender.endQueued()) {
      throw UdxException.badState("stream already ended");
    }
    if (data.length == 0) {
      return;
    }
    sender.write(data);
    flush(nowNs);
  }

  /** Half-closes: an END packet follows the queued data. */
  public void end(long nowNs) {
    if (closed || sender.endQueued()) {
      return;
    }
    sender.queueEnd();
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
    writer.message(sender.seq(), data);
  }

  /** Aborts: one DESTROY to the peer if connected, then closes without error on this side. */
  public void destroy() {
    if (closed) {
      return;
    }
    if (connected) {
      sender.destroy();
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
    writer.ack(sender.seq());
  }

  /** Processes one received packet addressed to this stream; {@code h} is only read during the call. */
  public void onPacket(UdxHeader h, long nowNs) {
    int type = h.type();
    if (closed) {
      if (cleanlyClosed && PacketType.consumesSeq(type)) {
        sendAck(); // our last ack may have been lost: the peer is still retransmitting its END
      }
      timers.onLingerAck(h.ack());
      return;
    }
    idle.received(nowNs);
    stats.packetsReceived++;
    if ((type & PacketType.HEARTBEAT) != 0) {
      sendAck();
      return;
    }
    int pseq = h.seq();
    int ackBefore = receiver.ack();
    if (Seq.compare(pseq, receiver.ack()) >= 0) {
      if (PacketType.consumesSeq(type)) {
        receiver.accept(pseq, type, h);
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
      acknowledge(type, ackBefore);
    }
    if (sender.localEndAcked() && receiver.remoteEnded()) {
      close(null);
      return;
    }
    flush(nowNs);
  }

  /**
   * The driver calls this once the packets that arrived together are processed and what they delivered has been
   * consumed. An ack still owed then (no reply carried it) waits up to {@link #ACK_DELAY_NS} for a packet of ours to
   * ride on, such as the next request of a caller the data just woke, before it goes out alone.
   */
  public void flushAck(long nowNs) {
    receiver.delayAck(nowNs + ACK_DELAY_NS);
  }

  /** Earliest time {@link #onTimer} has work, or {@link Long#MAX_VALUE}. */
  public long deadlineNs() {
    if (closed) {
      return timers.lingerDeadlineNs();
    }
    long d = Math.min(timers.deadlineNs(), sender.lossDeadlineNs());
    if (connected) {
      d = Math.min(Math.min(d, idle.deadlineNs()), receiver.ackDeadlineNs());
    }
    return d;
  }

  public void onTimer(long nowNs) {
    if (closed) {
      timers.onLingerTimer(nowNs);
      return;
    }
    if (connected && nowNs >= receiver.ackDeadlineNs()) {
      sendAck();
    }
    if (connected && idle.idleExpired(nowNs)) {
      close(UdxException.timedOut("no packet from the peer for " + idle.idleTimeoutNs() / 1_000_000 + " ms"));
      return;
    }
    if (connected && idle.keepaliveDue(nowNs)) {
      sender.heartbeat();
      idle.sent(nowNs);
    }
    if (timers.rtoDue(nowNs)) {
      onRetransmitTimeout(nowNs);
      return;
    }
    if (nowNs >= sender.lossDeadlineNs() && sender.detectLosses(nowNs)) {
      flush(nowNs);
    }
    if (timers.probeDue(nowNs)) {
      timers.sendLossProbe(nowNs);
    }
    flush(nowNs);
  }

  /**
   * Acks a DATA/END packet. New in-order DATA is not acked at once: the ack rides on the next packet we send (the
   * reply the application writes during the driver's batch, or soon after) and goes out alone only after
   * {@link #ACK_DELAY_NS} (see {@link #flushAck}); every second such packet, an END, a duplicate, or data while a
   * gap is held (the ack must carry SACK blocks) is acked at once. TCP's delayed ack, with a far shorter delay.
   */
  private void acknowledge(int type, int ackBefore) {
    boolean advanced = receiver.ack() != ackBefore;
    int owed = advanced ? receiver.owe() : 0;
    if (!advanced || (type & PacketType.END) != 0 || receiver.holdsOutOfOrder() || owed >= ACK_EVERY) {
      sendAck();
    } else if (owed == 1) {
      events.ackDeferred();
    }
  }

  /** One held packet at a time: a delivery callback may close the stream. */
  private void drainInOrder() {
    while (!closed && receiver.deliverNext()) {
      // delivered one
    }
  }

  private void onAck(UdxHeader h, int pseq, long nowNs) {
    if (sender.onAck(h, pseq, nowNs) == 0) {
      return;
    }
    timers.onProgress();
    if (sender.detectLosses(nowNs)) {
      flush(nowNs);
    }
    timers.restartRto(nowNs);
  }

  private void onRetransmitTimeout(long nowNs) {
    switch (timers.onRetransmitTimeout(receiver.remoteEnded())) {
      case NONE -> { }
      case RETRANSMIT -> {
        flush(nowNs);
        timers.restartRto(nowNs);
      }
      case CLOSE_CLEANLY -> {
        sender.abandonEnd();
        close(null);
        timers.lingerWithEnd(nowNs);
      }
      case TIMED_OUT -> close(UdxException.timedOut(
          "peer did not acknowledge after " + RetransmitTimers.MAX_TIMEOUTS + " retransmission timeouts"));
    }
  }

  /** Sends what the windows allow, then arms the timers for what is in flight. */
  private void flush(long nowNs) {
    if (!connected || closed) {
      return;
    }
    sender.flush(nowNs);
    timers.afterFlush(nowNs);
  }

  private void close(UdxException error) {
    closed = true;
    cleanlyClosed = error == null && receiver.remoteEnded() && sender.localEndAcked();
    timers.stop();
    events.onClose(error);
  }
}
