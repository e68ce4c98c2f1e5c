package io.hyperinfer.app.dht;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a clean stop with exit status 0 (the JVM's own would be 143 or 130), through
 * public API only: a shutdown hook opens {@link #stopRequested()}, waits until the command reports {@link #stopped()}
 * (its node closed), then halts with status 0. {@link #close()} removes the hook when the command ends by itself, so
 * its own exit code stands. Thread-safe.
 */
final class StopOnSignal implements AutoCloseable {
  /** How long a signal waits for the node to close before exiting anyway. */
  private static final long CLOSE_SECONDS = 30;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread hook = Thread.ofPlatform().name("dht-stop").unstarted(this::onSignal);

  StopOnSignal() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** Waits for a signal. */
  void await() throws InterruptedException {
    stopRequested.await();
  }

  /** The command has closed its node and printed its last line. */
  void stopped() {
    stopped.countDown();
  }

  private void onSignal() {
    stopRequested.countDown();
    try {
      stopped.await(CLOSE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Runtime.getRuntime().halt(0);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // a signal is being handled: the hook exits with 0 once stopped() is called
    }
  }
}
