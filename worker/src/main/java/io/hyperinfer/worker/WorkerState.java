package io.hyperinfer.worker;

import java.util.EnumSet;
import java.util.Set;

/** A worker's lifecycle; {@link #canMoveTo} is the only source of allowed transitions. */
public enum WorkerState {
  NEW, STARTING, READY, STOPPING, STOPPED, FAILED;

  /** Whether a worker in this state may move to {@code next}. */
  public boolean canMoveTo(WorkerState next) {
    return successors().contains(next);
  }

  private Set<WorkerState> successors() {
    return switch (this) {
      case NEW -> EnumSet.of(STARTING, STOPPED);
      case STARTING -> EnumSet.of(READY, FAILED);
      case READY -> EnumSet.of(STOPPING);
      case STOPPING -> EnumSet.of(STOPPED);
      case STOPPED, FAILED -> EnumSet.noneOf(WorkerState.class);
    };
  }
}
