package io.hyperinfer.app.launch;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT (Ctrl-C) into a clean stop with exit status 0 (the JVM's own would be 143 or 130), through
 * public API only: a shutdown hook opens {@link #await()}, waits until the command reports {@link #stopped()} (its
 * node or worker closed), then halts with status 0 (or the status the command reported; {@value #UNFINISHED_STATUS},
 * with a line on standard error, when it reported nothing within 30 s). {@link #close()} removes the hook when the
 * command ends by itself, so its own exit code stands. {@link #stopWithParent(Long)} also ends the wait when the process that started this one
 * exits (so {@code up}'s children never outlive it, even when it is killed). Thread-safe.
 */
public final class StopOnSignal implements AutoCloseable {
  /** How long a signal waits for the command to close before exiting anyway. */
  private static final long CLOSE_SECONDS = 30;
  /** The exit status when the command did not report its stop within {@link #CLOSE_SECONDS}. */
  static final int UNFINISHED_STATUS = 1;
  private final CountDownLatch stopRequested = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile int exitStatus;
  private final Thread hook = Thread.ofPlatform().name("stop-on-signal").unstarted(this::onSignal);

  public StopOnSignal() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /**
   * Also stops when process {@code parentPid} exits (or is already gone), and leaves Ctrl-C to the parent: a terminal
   * sends SIGINT to the whole process group, and the parent stops its children in order. Null: no parent to watch.
   */
  public StopOnSignal stopWithParent(Long parentPid) {
    if (parentPid != null) {
      Signal.handle(new Signal("INT"), SignalHandler.SIG_IGN);
      ProcessHandle.of(parentPid).ifPresentOrElse(p -> p.onExit().thenRun(stopRequested::countDown),
          stopRequested::countDown);
    }
    return this;
  }

  /** Waits for a signal (or the parent's exit). */
  public void await() throws InterruptedException {
    stopRequested.await();
  }

  /** The command has closed what it ran and printed its last line: a signal exits with 0. */
  public void stopped() {
    stopped(0);
  }

  /** The command has finished with {@code status}: a signal exits with it. */
  public void stopped(int status) {
    exitStatus = status;
    stopped.countDown();
  }

  private void onSignal() {
    stopRequested.countDown();
    boolean closed = false;
    try {
      closed = stopped.await(CLOSE_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!closed) {
      // standard error is a terminal or a log file here (up and the tests redirect children's to their logs)
      System.err.println("error: still not stopped " + CLOSE_SECONDS + " s after the signal; exiting anyway (status "
          + UNFINISHED_STATUS + ")");
      System.err.flush();
    }
    Runtime.getRuntime().halt(closed ? exitStatus : UNFINISHED_STATUS);
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
