package io.hyperinfer.secretstream;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One end of an in-process byte pipe with datagrams, for tests and benchmarks: what one end writes the other
 * reads, in order, with bounded buffering so a slow reader pushes back on the writer. {@link #destroy()} makes the
 * peer read end-of-stream and fail its writes, like a TCP close. Thread-safe.
 */
public final class InMemoryRawStream implements RawStream {
  /** Bytes buffered per direction before a writer blocks. */
  public static final int DEFAULT_CAPACITY = 1 << 20;

  private final Direction incoming;
  private final Direction outgoing;
  private InMemoryRawStream peer;
  private volatile Consumer<byte[]> datagramListener = d -> {};

  private InMemoryRawStream(Direction incoming, Direction outgoing) {
    this.incoming = incoming;
    this.outgoing = outgoing;
  }

  /** Two connected ends. */
  public static InMemoryRawStream[] pair() {
    return pair(DEFAULT_CAPACITY);
  }

  /** Two connected ends buffering at most {@code capacity} bytes each way. */
  public static InMemoryRawStream[] pair(int capacity) {
    Direction ab = new Direction(capacity);
    Direction ba = new Direction(capacity);
    InMemoryRawStream a = new InMemoryRawStream(ba, ab);
    InMemoryRawStream b = new InMemoryRawStream(ab, ba);
    a.peer = b;
    b.peer = a;
    return new InMemoryRawStream[] {a, b};
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    return incoming.read(buffer, offset, length);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    outgoing.write(bytes, offset, length);
  }

  @Override
  public void end() {
    outgoing.end();
  }

  @Override
  public void destroy() {
    outgoing.end();
    outgoing.abort();
    incoming.abort();
  }

  @Override
  public boolean supportsDatagrams() {
    return true;
  }

  @Override
  public void sendDatagram(byte[] datagram) {
    if (!outgoing.aborted()) {
      peer.datagramListener.accept(datagram.clone());
    }
  }

  @Override
  public void onDatagram(Consumer<byte[]> listener) {
    this.datagramListener = listener;
  }

  /** One direction: a bounded queue of chunks, ended by its writer, aborted by either side. */
  private static final class Direction {
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private int head;
    private int buffered;
    private boolean ended;
    private boolean aborted;

    Direction(int capacity) {
      this.capacity = capacity;
    }

    int read(byte[] buffer, int offset, int length) throws IOException {
      lock.lock();
      try {
        while (chunks.isEmpty() && !ended && !aborted) {
          changed.await();
        }
        if (chunks.isEmpty()) {
          return -1;
        }
        byte[] chunk = chunks.peekFirst();
        int n = Math.min(length, chunk.length - head);
        System.arraycopy(chunk, head, buffer, offset, n);
        head += n;
        if (head == chunk.length) {
          chunks.removeFirst();
          head = 0;
        }
        buffered -= n;
        changed.signalAll();
        return n;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading", e);
      } finally {
        lock.unlock();
      }
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
      lock.lock();
      try {
        while (buffered > 0 && buffered + length > capacity && !aborted && !ended) {
          changed.await();
        }
        if (aborted || ended) {
          throw new IOException("pipe closed");
        }
        chunks.addLast(Arrays.copyOfRange(bytes, offset, offset + length));
        buffered += length;
        changed.signalAll();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while writing", e);
      } finally {
        lock.unlock();
      }
    }

    void end() {
      lock.lock();
      try {
        ended = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    void abort() {
      lock.lock();
      try {
        aborted = true;
        chunks.clear();
        buffered = 0;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    boolean aborted() {
      lock.lock();
      try {
        return aborted;
      } finally {
        lock.unlock();
      }
    }
  }
}
