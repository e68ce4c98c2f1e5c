package io.hyperinfer.secretstream;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Messages waiting for {@link SecretStream#read()}: bounded, so a reader that falls behind stops the raw stream
 * being read. A clean end is queued behind the messages; an abort overtakes them. Once reached, the end is
 * returned by every later read. Thread-safe.
 */
final class Inbox {
  private record End(SecretStreamException error) {}

  private final BlockingQueue<Object> queue;
  private volatile End ended;
  private volatile End aborted;

  Inbox(int capacity) {
    queue = new ArrayBlockingQueue<>(capacity);
  }

  /** Queues a message, blocking while full (the reader thread only). */
  void put(byte[] message) {
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

  /** Closed: queued messages are dropped unless the peer already ended cleanly and there is no error. */
  void abort(SecretStreamException error) {
    if (error == null && ended != null) {
      return;
    }
    aborted = new End(error);
    queue.clear();
    queue.offer(aborted);
  }

  byte[] take() {
    try {
      End stop = aborted;
      Object next = stop != null ? stop : queue.take();
      if (next instanceof End marker) {
        queue.offer(marker);
        if (marker.error() != null) {
          throw marker.error();
        }
        return null;
      }
      return (byte[]) next;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
