package io.hyperinfer.rpc;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Accepts connections until closed and survives every failure. A failed accept (the file-descriptor limit: EMFILE,
 * ENFILE; an OutOfMemoryError creating the socket; anything else) waits before the next try, starting at
 * {@link #MIN_BACKOFF} and doubling to {@link #MAX_BACKOFF}, so the loop never spins while the cause persists; the
 * first successful accept resets the wait. A connection whose handling throws is closed and the loop goes on.
 * Confined to its own thread.
 */
final class AcceptLoop implements Runnable {
  static final Duration MIN_BACKOFF = Duration.ofMillis(5);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(1);

  /** Where sockets come from; a {@link ServerSocket} in production. */
  @FunctionalInterface
  interface Acceptor {
    Socket accept() throws IOException;
  }

  /** Waits between failed accepts; {@link Thread#sleep} in production. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  private final Acceptor acceptor;
  private final Consumer<Socket> handler;
  private final BooleanSupplier closed;
  private final Sleeper sleeper;
  private long failures;
  private long consecutiveFailures;

  AcceptLoop(Acceptor acceptor, Consumer<Socket> handler, BooleanSupplier closed, Sleeper sleeper) {
    this.acceptor = acceptor;
    this.handler = handler;
    this.closed = closed;
    this.sleeper = sleeper;
  }

  static AcceptLoop of(ServerSocket socket, Consumer<Socket> handler) {
    return new AcceptLoop(socket::accept, handler, socket::isClosed, d -> Thread.sleep(d));
  }

  @Override
  public void run() {
    while (!closed.getAsBoolean()) {
      Socket accepted;
      try {
        accepted = acceptor.accept();
      } catch (Throwable t) { // an Error too: accepting must outlive any one failure
        if (closed.getAsBoolean() || !backOff()) {
          return;
        }
        continue;
      }
      consecutiveFailures = 0;
      try {
        handler.accept(accepted);
      } catch (Throwable t) {
        closeQuietly(accepted);
      }
    }
  }

  /** Waits after a failed accept; false when interrupted (the loop then ends). */
  private boolean backOff() {
    failures++;
    try {
      sleeper.sleep(backoff(consecutiveFailures++));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The wait after the {@code n}th consecutive failure (from 0). */
  static Duration backoff(long n) {
    long millis = MIN_BACKOFF.toMillis() << Math.min(n, 20);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  /** Accept failures since the loop started. Read from the loop's thread or after it ended. */
  long failures() {
    return failures;
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException | RuntimeException ignored) {
      // already unusable: nothing more to release
    }
  }
}
