package io.hyperinfer.gateway.routing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Takes a failing processor out of rotation: after {@code threshold} consecutive failures it opens for {@code
 * cooldown}; then one trial request is let through (half-open): success closes it, failure opens it again. Not
 * thread-safe: {@link Router} guards it.
 */
final class CircuitBreaker {
  enum State { CLOSED, OPEN, HALF_OPEN }

  private final int threshold;
  private final Duration cooldown;
  private final Clock clock;
  private State state = State.CLOSED;
  private int failures;
  private Instant openUntil = Instant.MIN;
  private boolean trialOut;

  CircuitBreaker(int threshold, Duration cooldown, Clock clock) {
    this.threshold = threshold;
    this.cooldown = cooldown;
    this.clock = clock;
  }

  State state() {
    if (state == State.OPEN && !clock.instant().isBefore(openUntil)) {
      state = State.HALF_OPEN;
      trialOut = false;
    }
    return state;
  }

  /** True when a request may go to this processor now; in half-open, only the first caller gets true. */
  boolean allows() {
    return switch (state()) {
      case CLOSED -> true;
      case OPEN -> false;
      case HALF_OPEN -> !trialOut;
    };
  }

  void onDispatch() {
    if (state() == State.HALF_OPEN) {
      trialOut = true;
    }
  }

  void onSuccess() {
    failures = 0;
    state = State.CLOSED;
  }

  void onFailure() {
    failures++;
    if (state() == State.HALF_OPEN || failures >= threshold) {
      state = State.OPEN;
      openUntil = clock.instant().plus(cooldown);
      failures = 0;
    }
  }
}
