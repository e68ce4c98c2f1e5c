package io.hyperinfer.dht;

/** A timer on the node's loop ({@link DhtNode#schedule}). */
@FunctionalInterface
public interface LoopTimer {
  /** Prevents the task from running if it has not run yet; call on the loop. */
  void cancel();
}
