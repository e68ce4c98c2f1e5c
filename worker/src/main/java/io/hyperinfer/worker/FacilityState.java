package io.hyperinfer.worker;

/** Where one facility of a worker is in its lifecycle, as {@code /healthz} reports it. */
public enum FacilityState {
  /** Not started yet: an earlier step is still running. */
  PENDING,
  STARTING,
  UP,
  /** Finishing work already taken before it stops. */
  DRAINING,
  STOPPED,
  /** Its start threw; the worker's start failed here. */
  FAILED
}
