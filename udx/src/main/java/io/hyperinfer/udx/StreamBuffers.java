package io.hyperinfer.udx;

import io.hyperinfer.udx.internal.StreamCore;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The meeting point of a stream's loop and its readers and writers: received bytes waiting to be read, and the
 * count of written bytes not yet acked, which blocks writers above a high watermark. Unread bytes shrink the window
 * the stream advertises, so a slow reader slows the peer. Thread-safe.
 */
final class StreamBuffers {
  static final int WRITE_CHUNK = 256 << 10;
  /** Written-but-unacked bytes above which write blocks (libudx: 256 KiB plus the send window). */
  static final long HIGH_WATERMARK = 4L << 20;
  private static final int WINDOW_LOW = StreamCore.DEFAULT_RWND / 2;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final ArrayDeque<byte[]> inbox = new ArrayDeque<>();
  private int headOffset;
  private volatile int unread;
  private boolean eof;
  private boolean closed;
  private UdxException error;
  private volatile boolean localDestroy;
  private boolean windowLow;
  private boolean wakeUpPending;
  private long pendingWrite;
  private long lingerUntilNs = Long.MAX_VALUE;

  int unread() {
    return unread;
  }

  /** Counts {@code n} bytes in; blocks above the high watermark when {@code mayBlock} (never on a loop thread). */
  void admitWrite(int n, boolean ended, boolean mayBlock) {
    lock.lock();
    try {
      while (mayBlock && pendingWrite >= HIGH_WATERMARK && !closed && error == null) {
        awaitOn(writable);
      }
      if (closed || error != null || localDestroy) {
        throw failure("stream is closed");
      }
      if (ended) {
        throw UdxException.badState("stream already ended");
      }
      pendingWrite += n;
    } finally {
      lock.unlock();
    }
  }

  boolean belowWatermark() {
    return locked(() -> pendingWrite < HIGH_WATERMARK);
  }

  /** Waits while the backlog is at the high watermark and the stream is healthy. */
  void awaitWritable() {
    lock.lock();
    try {
      while (pendingWrite >= HIGH_WATERMARK && !closed && error == null) {
        awaitOn(writable);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Queues received bytes without waking the reader: the loop wakes it once after its batch of datagrams (see
   * {@link #markWakeUp}), so a burst of packets costs one wakeup, not one per packet.
   */
  void deliver(byte[] data) {
    lock.lock();
    try {
      inbox.add(data);
      unread += data.length;
      if (unread > WINDOW_LOW) {
        windowLow = true;
      }
    } finally {
      lock.unlock();
    }
  }

  /** Wakes readers and writers after a batch; loop thread. */
  void wakeUp() {
    lock.lock();
    try {
      wakeUpPending = false;
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Returns true when the loop must call {@link #wakeUp} after its batch (once per batch). */
  boolean markWakeUp() {
    lock.lock();
    try {
      if (wakeUpPending) {
        return false;
      }
      wakeUpPending = true;
      return true;
    } finally {
      lock.unlock();
    }
  }

  void eof() {
    lock.lock();
    try {
      eof = true;
      readable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Releases acked bytes; like {@link #deliver}, the wakeup is left to the loop. */
  void acked(int bytes) {
    lock.lock();
    try {
      pendingWrite -= bytes;
    } finally {
      lock.unlock();
    }
  }

  void close(UdxException cause) {
    lock.lock();
    try {
      closed = true;
      if (cause != null && error == null) {
        error = cause;
      }
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void fail(UdxException cause) {
    lock.lock();
    try {
      if (error == null && !closed) {
        error = cause;
      }
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  byte[] take() {
    lock.lock();
    try {
      return awaitData() ? popHead() : null;
    } finally {
      lock.unlock();
    }
  }

  /** Removes the first buffered chunk (what is left of it) with the lock held; null when none. */
  private byte[] popHead() {
    byte[] head = inbox.poll();
    if (head == null) {
      return null;
    }
    if (headOffset > 0) {
      head = java.util.Arrays.copyOfRange(head, headOffset, head.length);
      headOffset = 0;
    }
    unread -= head.length;
    return head;
  }

  /** The next buffered chunk without waiting, or null; for delivery to a listener on the loop thread. */
  byte[] poll() {
    lock.lock();
    try {
      return popHead();
    } finally {
      lock.unlock();
    }
  }

  /** Whether the peer's END has been reached in order. */
  boolean eofReached() {
    return locked(() -> eof);
  }

  private boolean locked(java.util.function.BooleanSupplier read) {
    lock.lock();
    try {
      return read.getAsBoolean();
    } finally {
      lock.unlock();
    }
  }

  int take(byte[] into, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    lock.lock();
    try {
      if (!awaitData()) {
        return -1;
      }
      int copied = 0;
      while (copied < length && !inbox.isEmpty()) {
        byte[] head = inbox.peek();
        int n = Math.min(length - copied, head.length - headOffset);
        System.arraycopy(head, headOffset, into, offset + copied, n);
        copied += n;
        headOffset += n;
        if (headOffset == head.length) {
          inbox.poll();
          headOffset = 0;
        }
      }
      unread -= copied;
      return copied;
    } finally {
      lock.unlock();
    }
  }

  /** True once when the unread backlog falls from above half the window to below a quarter. */
  boolean windowReopened() {
    lock.lock();
    try {
      if (windowLow && unread <= WINDOW_LOW / 2) {
        windowLow = false;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  void markLocalDestroy() {
    localDestroy = true;
    fail(UdxException.destroyed());
  }

  boolean localDestroy() {
    return localDestroy;
  }

  boolean closed() {
    return locked(() -> closed);
  }

  /** Loop thread only. */
  long lingerUntilNs() {
    return lingerUntilNs;
  }

  void lingerUntilNs(long ns) {
    lingerUntilNs = ns;
  }

  /** Waits for data; false at EOF; throws the stream's error when it failed and nothing is left. */
  private boolean awaitData() {
    while (inbox.isEmpty()) {
      if (error != null) {
        throw failure("stream failed");
      }
      if (eof) {
        return false;
      }
      if (closed) {
        throw failure("stream is closed");
      }
      awaitOn(readable);
    }
    return true;
  }

  private static void awaitOn(Condition condition) {
    try {
      condition.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw UdxException.interrupted();
    }
  }

  private UdxException failure(String fallback) {
    if (error != null) {
      return new UdxException(error.code(), error.getMessage(), error);
    }
    return localDestroy ? UdxException.destroyed() : UdxException.badState(fallback);
  }
}
