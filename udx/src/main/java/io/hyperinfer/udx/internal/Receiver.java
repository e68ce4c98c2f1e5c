package io.hyperinfer.udx.internal;

import io.hyperinfer.udx.wire.PacketType;
import io.hyperinfer.udx.wire.UdxHeader;
import java.util.function.IntSupplier;

/**
 * The receive path of a {@link StreamCore}: the cumulative ack, reassembly of out-of-order DATA/END and in-order
 * delivery to {@link StreamEvents}. What the peer is told (ack, SACK blocks, window) is read from here. Not
 * thread-safe.
 */
final class Receiver {
  /** Unread bytes above which DATA is dropped, whatever the peer does with our advertised window. */
  static final int MAX_UNREAD = 2 * StreamCore.DEFAULT_RWND;

  private final StreamEvents events;
  private final StreamStats stats;
  private final ReceiveWindow incoming = new ReceiveWindow();
  private IntSupplier unreadBytes = () -> 0;
  private int ack;
  private boolean remoteEnded;
  /** In-order packets received since the last packet we sent (every packet carries our cumulative ack). */
  private int owed;
  private long ackDeadlineNs = Long.MAX_VALUE;

  Receiver(StreamEvents events, StreamStats stats) {
    this.events = events;
    this.stats = stats;
  }

  /** The next seq expected in order: everything before it was delivered. */
  int ack() {
    return ack;
  }

  boolean remoteEnded() {
    return remoteEnded;
  }

  /** Counts one more in-order packet whose ack is owed; returns how many are owed now. */
  int owe() {
    return ++owed;
  }

  /** Whether an ack is owed: in-order packets arrived since we last sent anything. */
  boolean ackOwed() {
    return owed > 0;
  }

  /** A packet carrying our cumulative ack went out. */
  void ackSent() {
    owed = 0;
    ackDeadlineNs = Long.MAX_VALUE;
  }

  /** When an owed ack must go out alone, unless already set: {@code deadlineNs}. */
  void delayAck(long deadlineNs) {
    if (owed > 0 && ackDeadlineNs == Long.MAX_VALUE) {
      ackDeadlineNs = deadlineNs;
    }
  }

  /** When the owed ack must go out alone, or {@link Long#MAX_VALUE}. */
  long ackDeadlineNs() {
    return ackDeadlineNs;
  }

  /** Whether out-of-order packets are held (an ack must then carry SACK blocks). */
  boolean holdsOutOfOrder() {
    return incoming.count() > 0;
  }

  void unreadBytes(IntSupplier supplier) {
    this.unreadBytes = supplier;
  }

  /** The receive window to advertise: shrinks as the application leaves bytes unread. */
  int advertisedWindow() {
    return Math.max(0, StreamCore.DEFAULT_RWND - unreadBytes.getAsInt());
  }

  /** Writes SACK blocks for the held out-of-order packets into {@code pairs}; returns how many. */
  int sackBlocks(int[] pairs, int maxBlocks) {
    return incoming.sackBlocks(ack, pairs, maxBlocks);
  }

  /** A DATA/END packet at or after the cumulative ack: delivered now if next in order, else held. */
  void accept(int pseq, int type, UdxHeader h) {
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

  /**
   * Delivers the held packet at the cumulative ack, if any; returns whether it did. One at a time, because a
   * delivery callback may close the stream and the caller must then stop.
   */
  boolean deliverNext() {
    if (!incoming.holds(ack)) {
      return false;
    }
    int type = incoming.typeAt(ack);
    deliver(type, incoming.take(ack));
    return true;
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
}
