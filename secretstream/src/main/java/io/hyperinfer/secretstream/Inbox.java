package io.hyperinfer.secretstream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Messages waiting for {@link SecretStream#read()}: bounded, so a reader that falls behind stops the raw stream
 * being read. With a reader thread, putting blocks at capacity; with a pushing transport, whose thread must not
 * block, reaching capacity pauses the transport and taking below half of it resumes it (so the queue exceeds the
 * capacity by at most the messages of one pushed chunk). A clean end is queued behind the messages; an abort
 * overtakes them. Once reached, the end is returned by every later read. Thread-safe.
 */
final class Inbox {
  private record End(SecretStreamException error) {}

  /** Queued once the messages went to a listener: every later read is a mistake. */
  private static final Object HANDED_OVER = new Object();

  private final BlockingQueue<Object> queue;
  private final int capacity;
  private final Consumer<Boolean> pause;
  private final AtomicBoolean paused = new AtomicBoolean();
  private volatile End ended;
  private volatile End aborted;
  private volatile boolean handedOver;

  /** {@code pause} stops and resumes a pushing transport; null for a transport read by a thread. */
  Inbox(int capacity, Consumer<Boolean> pause) {
    this.capacity = capacity;
    this.pause = pause;
    queue = pause == null ? new ArrayBlockingQueue<>(capacity) : new LinkedBlockingQueue<>();
  }

  /** Queues a message (the reading side only): blocking while full, or pausing a pushing transport. */
  void put(byte[] message) {
    if (pause != null) {
      queue.add(message);
      if (queue.size() >= capacity && paused.compareAndSet(false, true)) {
        pause.accept(true);
      }
      return;
    }
    try {
      queue.put(message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The peer ended: readers get the queued messages, then end of stream (the reader thread only). */
  void endAfterMessages() {
    if (ended != null) {
      return;
    }
    ended = new End(null);
    try {
      queue.put(ended);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Closed: queued messages are dropped unless the peer ended cleanly first without error, or a listener took them. */
  void abort(SecretStreamException error) {
    if (handedOver || (error == null && ended != null)) {
      return;
    }
    aborted = new End(error);
    queue.clear();
    queue.offer(aborted);
  }

  /**
   * The messages queued so far, for a listener taking over (on the reading side): later reads throw, a reader
   * waiting now included.
   */
  List<byte[]> handOver() {
    List<byte[]> messages = new ArrayList<>();
    Object next;
    while ((next = queue.poll()) instanceof byte[] message) {
      messages.add(message);
    }
    queue.clear();
    queue.offer(HANDED_OVER);
    handedOver = true;
    return messages;
  }

  /** Whether reaching capacity paused the pushing transport (and nothing resumed it since). */
  boolean pausedTransport() {
    return paused.get();
  }

  byte[] take() {
    try {
      End stop = aborted;
      Object next = stop != null ? stop : queue.take();
      if (next == HANDED_OVER) {
        queue.offer(next);
        throw new IllegalStateException("messages go to the listener");
      }
      if (next instanceof End marker) {
        queue.offer(marker);
        if (marker.error() != null) {
          throw marker.error();
        }
        return null;
      }
      if (pause != null && queue.size() <= capacity / 2 && paused.compareAndSet(true, false)) {
        pause.accept(false);
      }
      return (byte[]) next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
