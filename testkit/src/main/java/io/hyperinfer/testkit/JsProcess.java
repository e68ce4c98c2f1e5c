package io.hyperinfer.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A running JS peer. Its stdout lines are queued for {@link #awaitLine}; stderr is kept for failure messages.
 * Closing kills it. Thread-safe.
 */
public final class JsProcess implements AutoCloseable {
  private static final String EOF = "\u0000EOF";
  private final Process process;
  private final String command;
  private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());

  JsProcess(Process process, String command) {
    this.process = process;
    this.command = command;
    // Platform threads: a virtual thread blocked reading a pipe pins its carrier, and once such readers pin every
    // carrier the JVM's other virtual threads (a pump that parked on a lock, say) never run again.
    Thread.ofPlatform().daemon().name("js-stdout").start(() -> pump(new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)), lines::add, true));
    Thread.ofPlatform().daemon().name("js-stderr").start(() -> pump(new BufferedReader(
        new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)), stderr::add, false));
  }

  /** Waits for the next stdout line that matches; fails with the peer's stderr if it exits or the time runs out. */
  public String awaitLine(Predicate<String> match, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
        if (line == null) {
          throw new AssertionError("timed out waiting for output from " + command + "\nstderr: " + stderr());
        }
        if (line.equals(EOF)) {
          throw new AssertionError(command + " exited before the expected line\nstderr: " + stderr());
        }
        if (match.test(line)) {
          return line;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Writes a line to the peer's stdin. */
  public void send(String line) {
    try {
      OutputStream in = process.getOutputStream();
      in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      in.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + command, e);
    }
  }

  /** Waits for the peer to exit by itself and returns its exit code. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(command + " did not exit within " + timeout + "\nstderr: " + stderr());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  public String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  /** The node process's id (for reading its /proc figures). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private static void pump(BufferedReader reader, java.util.function.Consumer<String> sink, boolean markEof) {
    try (reader) {
      for (String line; (line = reader.readLine()) != null; ) {
        sink.accept(line);
      }
    } catch (IOException ignored) {
      // the process is gone; EOF below tells waiters
    }
    if (markEof) {
      sink.accept(EOF);
    }
  }
}
