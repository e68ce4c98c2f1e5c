package io.hyperinfer.secretstream.internal;

/**
 * When a read should poll before it blocks: while the peer answers within the spin window. A poll that times out
 * stops the polling; a blocking read that returns within the window starts it again. So a quiet connection burns at
 * most one window per message, and a busy one never waits in the kernel. One reader thread only.
 */
public final class ReadSpin {
  private final long windowNanos;
  private boolean polling;

  /** {@code windowNanos} zero never polls. */
  public ReadSpin(long windowNanos) {
    if (windowNanos < 0) {
      throw new IllegalArgumentException("negative spin window");
    }
    this.windowNanos = windowNanos;
  }

  public long windowNanos() {
    return windowNanos;
  }

  /** Whether the next read should poll first. */
  public boolean shouldPoll() {
    return polling;
  }

  /** The poll ended: bytes arrived in time, or the window ran out. */
  public void onPolled(boolean arrived) {
    polling = arrived;
  }

  /** A blocking read returned after {@code elapsedNanos}. */
  public void onBlockingRead(long elapsedNanos) {
    if (!polling && windowNanos > 0) {
      polling = elapsedNanos < windowNanos;
    }
  }
}
