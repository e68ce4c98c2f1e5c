package io.hyperinfer.client.openai.http;

import java.util.concurrent.atomic.AtomicLong;

/** Request body bytes held at once by every request of a server, capped. Thread-safe. */
final class BodyBudget {
  private final long capacity;
  private final AtomicLong held = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Takes {@code bytes} when they fit, else takes nothing and answers false. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = held.get();
      if (now + bytes > capacity) {
        return false;
      }
      if (held.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  long held() {
    return held.get();
  }
}
