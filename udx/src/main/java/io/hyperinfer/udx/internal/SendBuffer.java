package io.hyperinfer.udx.internal;

import java.util.ArrayDeque;

/**
 * Bytes written and not yet cut into packets, kept as the caller's arrays (no copy until packetized). Not
 * thread-safe.
 */
final class SendBuffer {
  private final ArrayDeque<byte[]> writes = new ArrayDeque<>();
  private int headOffset;
  /** Written and not yet packetized. */
  private long unsentBytes;

  /** The array must not be changed afterwards. */
  void add(byte[] data) {
    writes.add(data);
    unsentBytes += data.length;
  }

  boolean isEmpty() {
    return writes.isEmpty();
  }

  long unsentBytes() {
    return unsentBytes;
  }

  /** Removes the next {@code size} bytes, at most {@link #unsentBytes}, as one payload. */
  byte[] take(int size) {
    byte[] payload = new byte[size];
    int filled = 0;
    while (filled < size) {
      byte[] head = writes.peek();
      int n = Math.min(size - filled, head.length - headOffset);
      System.arraycopy(head, headOffset, payload, filled, n);
      filled += n;
      headOffset += n;
      if (headOffset == head.length) {
        writes.poll();
        headOffset = 0;
      }
    }
    unsentBytes -= size;
    return payload;
  }
}
