package io.hyperinfer.rpc.internal;

import io.hyperinfer.protomux.MessageTransport;
import io.hyperinfer.protomux.Protomux;
import io.hyperinfer.secretstream.SecretStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mux's transport over a secret stream. Sends never block (the mux calls them with its lock held): messages are
 * queued and one virtual thread writes them, so a full socket can never stop this side from reading. Reading pauses
 * are honoured by {@link #awaitReadable()} on the thread that feeds the mux. Thread-safe.
 */
public final class StreamTransport implements MessageTransport {
  /** Queued bytes above which sends report "not drained". */
  public static final long HIGH_WATER = 4L << 20;
  private static final byte[] END = new byte[0];
  private static final byte[] STOP = new byte[0];

  private final SecretStream stream;
  private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
  private final AtomicLong queued = new AtomicLong();
  private final Object pauseLock = new Object();
  private volatile Protomux mux;
  private volatile boolean full;
  private volatile boolean closed;
  private boolean paused;

  public StreamTransport(SecretStream stream) {
    this.stream = stream;
  }

  /** Starts the writer; {@code mux} gets drain and close signals. */
  public void start(Protomux mux) {
    this.mux = mux;
    Thread.ofVirtual().name("rpc-writer").start(this::writeLoop);
  }

  @Override
  public boolean send(byte[] message) {
    if (closed) {
      return false;
    }
    long total = queued.addAndGet(message.length);
    queue.add(message);
    if (total > HIGH_WATER) {
      full = true;
      return false;
    }
    return true;
  }

  @Override
  public void setReadPaused(boolean pause) {
    synchronized (pauseLock) {
      paused = pause;
      pauseLock.notifyAll();
    }
  }

  /** Blocks the feeding thread while the mux asked to pause reading. */
  public void awaitReadable() throws InterruptedException {
    synchronized (pauseLock) {
      while (paused && !closed) {
        pauseLock.wait();
      }
    }
  }

  /** Destroys the stream now (the mux was destroyed). */
  @Override
  public void close(Throwable cause) {
    stop();
    stream.destroy(cause);
  }

  /** Writes what is queued, then ends our side of the stream (a clean close). */
  public void endAfterWrites() {
    if (!closed) {
      queue.add(END);
    }
  }

  /** The stream closed underneath: stop writing and release a paused reader. */
  public void stop() {
    closed = true;
    queue.add(STOP);
    setReadPaused(false);
  }

  private void writeLoop() {
    try {
      while (true) {
        byte[] message = queue.take();
        if (message == STOP) {
          return;
        }
        if (message == END) {
          stream.end();
          return;
        }
        stream.write(message);
        if (queued.addAndGet(-message.length) < HIGH_WATER / 2 && full) {
          full = false;
          mux.onTransportDrained();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      closed = true;
      stream.destroy(e);
    }
  }
}
