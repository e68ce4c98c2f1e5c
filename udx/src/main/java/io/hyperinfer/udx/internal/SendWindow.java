package io.hyperinfer.udx.internal;

/**
 * Packets sent and not yet cumulatively acked, indexed by seq in a growable ring: the oldest is at the peer's
 * cumulative ack. Not thread-safe.
 */
final class SendWindow {
  /** Upper bound on packets in flight, whatever the peer's window says (about 75 MB at 1152-byte packets). */
  static final int MAX_PACKETS = 1 << 16;

  private Outgoing[] ring = new Outgoing[64];
  private int head;
  private int size;
  private int pipe;
  private long pipeBytes;

  /** Packets sent and neither acked, sacked nor declared lost: what the congestion window limits. */
  int pipe() {
    return pipe;
  }

  long pipeBytes() {
    return pipeBytes;
  }

  void enterPipe(Outgoing p) {
    if (!p.inPipe) {
      p.inPipe = true;
      pipe++;
      pipeBytes += p.payload.length;
    }
  }

  void leavePipe(Outgoing p) {
    if (p.inPipe) {
      p.inPipe = false;
      pipe--;
      pipeBytes -= p.payload.length;
    }
  }

  int size() {
    return size;
  }

  boolean full() {
    return size >= MAX_PACKETS;
  }

  void add(Outgoing packet) {
    if (size == ring.length) {
      grow();
    }
    ring[(head + size) & (ring.length - 1)] = packet;
    size++;
  }

  /** The packet {@code index} places after the oldest. */
  Outgoing get(int index) {
    return ring[(head + index) & (ring.length - 1)];
  }

  Outgoing removeOldest() {
    Outgoing p = ring[head];
    ring[head] = null;
    head = (head + 1) & (ring.length - 1);
    size--;
    return p;
  }

  private void grow() {
    Outgoing[] bigger = new Outgoing[ring.length * 2];
    for (int i = 0; i < size; i++) {
      bigger[i] = get(i);
    }
    ring = bigger;
    head = 0;
  }
}
