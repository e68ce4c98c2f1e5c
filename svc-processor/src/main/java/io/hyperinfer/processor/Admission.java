package io.hyperinfer.processor;

import io.hyperinfer.processor.engine.CancelSignal;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Bounded concurrency with a bounded queue: up to {@code concurrency} generations run at once, up to {@code queue} more
 * wait; anything beyond is refused with ERR_BUSY at once, so a gateway can try another processor instead of piling up.
 * A waiting request whose cancel fires leaves the queue. Thread-safe.
 */
public final class Admission {
  private final int concurrency;
  private final int queue;
  private final Semaphore running;
  private int admitted;

  public Admission(int concurrency, int queue) {
    if (concurrency < 1 || queue < 0) {
      throw new IllegalArgumentException("concurrency must be >= 1 and queue >= 0");
    }
    this.concurrency = concurrency;
    this.queue = queue;
    this.running = new Semaphore(concurrency, true);
  }

  /** A running slot; closing it frees the slot. */
  public interface Slot extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits for a running slot. Throws ERR_BUSY when running and queue are full; returns null when {@code cancel} fired
   * while waiting.
   */
  public Slot acquire(CancelSignal cancel) {
    synchronized (this) {
      if (admitted >= concurrency + queue) {
        throw ProcessorException.busy("processor is at capacity (" + concurrency + " running, " + queue + " queued)");
      }
      admitted++;
    }
    boolean got = false;
    try {
      while (!cancel.isCancelled() && !got) {
        got = running.tryAcquire(20, TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!got) {
      leave();
      return null;
    }
    boolean[] closed = {false};
    return () -> {
      synchronized (closed) {
        if (closed[0]) {
          return;
        }
        closed[0] = true;
      }
      running.release();
      leave();
    };
  }

  private synchronized void leave() {
    admitted--;
  }

  public synchronized int inFlight() {
    return admitted - queued();
  }

  /** Requests waiting for a slot. */
  public synchronized int queued() {
    return Math.max(0, admitted - (concurrency - running.availablePermits()));
  }

  public int concurrency() {
    return concurrency;
  }

  public int queueLimit() {
    return queue;
  }
}
