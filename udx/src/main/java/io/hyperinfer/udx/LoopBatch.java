package io.hyperinfer.udx;

import java.util.ArrayList;

/**
 * What a loop does once per batch of datagrams rather than once per packet: streams with bytes to push to their
 * listener or an ack held back (so a reply written meanwhile carries it), and blocked readers and writers to wake.
 * Confined to the loop's owner.
 */
final class LoopBatch {
  private final ArrayList<UdxStream> streams = new ArrayList<>();
  private final ArrayList<StreamBuffers> wakes = new ArrayList<>();

  /** {@code stream} has end-of-batch work (deliveries to its listener, a deferred ack). */
  void add(UdxStream stream) {
    streams.add(stream);
  }

  /** {@code buffers} has a blocked reader or writer to wake after the batch. */
  void wake(StreamBuffers buffers) {
    wakes.add(buffers);
  }

  /** Whether work is left that only the loop thread may do (listener calls). */
  boolean needsLoop() {
    return !streams.isEmpty();
  }

  /** End of a batch on the loop thread: deliveries first (their replies carry the acks), then acks, then wakes. */
  void finish(UdxLoop loop) {
    for (int i = 0; i < streams.size(); i++) {
      UdxStream s = streams.get(i);
      loop.guarded(s::finishBatch);
    }
    streams.clear();
    signal();
  }

  /** End of a command run by a thread that owned the loop for it: only wakes; listener work waits for the loop. */
  void finishForeign() {
    signal();
  }

  private void signal() {
    for (int i = 0; i < wakes.size(); i++) {
      wakes.get(i).wakeUp();
    }
    wakes.clear();
  }
}
