package io.hyperinfer.worker;

import java.time.Duration;

/**
 * A resource a worker owns for its lifetime (net, store, metrics endpoint). Workers start facilities in ascending
 * {@link #priority()} and stop them in the reverse order.
 */
public interface Facility {
  /** Priority of stores: they start first because identity lives there. */
  int PRIORITY_STORE = 10;
  /** Priority of network facilities: they need the identity. */
  int PRIORITY_NET = 20;
  /** Priority of endpoints that only observe the others. */
  int PRIORITY_OBSERVER = 30;

  /** Short name used in errors and logs ("store", "net"). */
  String name();

  int priority();

  /** Brings the facility up; a thrown exception fails the worker's start at this facility's step. */
  void start(FacilityContext context) throws Exception;

  /** Stops taking new work and waits up to {@code timeout} for work already taken; true when all of it finished. */
  default boolean drain(Duration timeout) {
    return true;
  }

  /** Releases everything; must not throw and must be safe to call on a facility that never started. */
  void stop();
}
