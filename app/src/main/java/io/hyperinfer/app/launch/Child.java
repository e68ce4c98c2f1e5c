package io.hyperinfer.app.launch;

import io.hyperinfer.app.LauncherException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One started {@code hyperinfer} process: its name, its log file (standard error and every standard output line), and
 * its standard output lines, which callers await ({@link #awaitLine}, {@link #awaitReady}). Stopping is SIGTERM and,
 * after a bound, SIGKILL ({@link #stop}); {@link #kill()} is SIGKILL at once. The last {@value #KEPT_LINES} output
 * lines are kept. Thread-safe.
 *
 * <p>Its output is pumped by a platform thread, not a virtual one: a pipe read pins a virtual thread to its carrier,
 * the scheduler lends a spare carrier for each such read and retires idle spares after 30 s, so once every child's
 * pump sat blocked that long no new virtual thread in the JVM was ever scheduled (up's stop threads never ran; the
 * JDK's own note on that keep-alive: JDK-8389671).
 */
public final class Child {
  static final int KEPT_LINES = 1000;
  /** How long an exited process's output may still flow (a grandchild holding the pipe) before it is given up. */
  static final Duration OUTPUT_DRAIN = Duration.ofSeconds(2);

  private final String name;
  private final Process process;
  private final Path log;
  private final OutputStream logOut;
  private final Deque<String> lines = new ArrayDeque<>();
  private final CompletableFuture<Void> outputClosed = new CompletableFuture<>();
  private long linesSeen;

  private Child(String name, Process process, Path log, OutputStream logOut) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.logOut = logOut;
  }

  static Child start(String name, ProcessBuilder builder, Path log) throws IOException {
    Files.createDirectories(log.toAbsolutePath().getParent());
    Files.deleteIfExists(log);
    Files.createFile(log);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    OutputStream logOut = Files.newOutputStream(log, StandardOpenOption.APPEND);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      logOut.close();
      throw e;
    }
    process.getOutputStream().close();
    Child child = new Child(name, process, log, logOut);
    Thread.ofPlatform().daemon().name("child-" + name).start(child::pump);
    return child;
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  /** Where its standard error and standard output go. */
  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Its exit status once it has exited. */
  public Optional<Integer> exitStatus() {
    return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
  }

  /** Completes with this child when its process has exited. */
  public CompletableFuture<Child> onExit() {
    return process.onExit().thenApply(p -> this);
  }

  /** The output lines kept so far (at most the last {@value #KEPT_LINES}). */
  public List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  /** Waits for the first {@code hyperinfer} worker ready line and returns it. */
  public ReadyLine awaitReady(Duration timeout) {
    return awaitLine(ReadyLine::parse, timeout, "its ready line");
  }

  /**
   * Waits for the first output line (kept or still to come) that {@code parse} accepts and returns what it made of
   * it. Fails with a {@link LauncherException} when the process ends first or the time runs out; the message names
   * {@code what} was awaited, the exit status and the last line of the log (where the command's one-sentence error
   * is).
   */
  public <T> T awaitLine(Function<String, Optional<T>> parse, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int index = 0;
    synchronized (lines) {
      while (true) {
        long dropped = linesSeen - lines.size();
        int skip = (int) Math.max(0, index - dropped);
        int at = 0;
        for (String line : lines) {
          if (at++ < skip) {
            continue;
          }
          Optional<T> parsed = parse.apply(line);
          if (parsed.isPresent()) {
            return parsed.get();
          }
        }
        index = (int) Math.min(Integer.MAX_VALUE, linesSeen);
        if (outputClosed.isDone()) {
          throw LauncherException.childFailed(this, describeEnd("before printing " + what));
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw LauncherException.childFailed(this, name + " did not print " + what + " within " + timeout.toSeconds()
              + " s (log: " + log + ")");
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(lines, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw LauncherException.childFailed(this, "interrupted while waiting for " + name);
        }
      }
    }
  }

  /**
   * Sends SIGTERM and waits up to {@code grace} for the process to exit, then sends SIGKILL; returns the exit status
   * (0 for a clean stop of a {@code hyperinfer} command, 137 after SIGKILL).
   */
  public int stop(Duration grace) {
    terminate();
    if (!awaitExit(grace)) {
      process.toHandle().destroyForcibly();
    }
    return exitStatusOnceDrained();
  }

  /** Sends SIGTERM if the process still runs, and returns at once. */
  public void terminate() {
    if (process.isAlive()) {
      process.toHandle().destroy();
    }
  }

  /** Waits up to {@code timeout} for the process to exit; whether it has. */
  public boolean awaitExit(Duration timeout) {
    return waitFor(timeout);
  }

  /** Sends SIGKILL and returns the exit status once the process is gone. */
  public int kill() {
    process.toHandle().destroyForcibly();
    return exitStatusOnceDrained();
  }

  /** The last {@code n} lines of the log file (for error messages). */
  public List<String> logTail(int n) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return all.subList(Math.max(0, all.size() - n), all.size());
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  /** "name exited with status N before X: <last log line> (log: FILE)". */
  String describeEnd(String when) {
    int status = exitStatusOnceDrained();
    String last = logTail(20).reversed().stream().filter(l -> !l.isBlank()).findFirst().map(String::strip)
        .orElse("(its log is empty)");
    return name + " exited with status " + status + " " + when + ": " + last + " (log: " + log + ")";
  }

  private boolean waitFor(Duration d) {
    try {
      return process.waitFor(Math.max(0, d.toNanos()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits for the process to exit and its output to end (a bound: {@link #OUTPUT_DRAIN}); its exit status. Waits
   * through interrupts and keeps the interrupt status.
   */
  public int exitStatusOnceDrained() {
    boolean interrupted = false;
    while (true) {
      try {
        int status = process.waitFor();
        awaitOutputEnd();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return status;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  /** Waits a bound for the pump to reach the end of the output (the process's own end of the pipe is closed). */
  private void awaitOutputEnd() throws InterruptedException {
    try {
      outputClosed.get(OUTPUT_DRAIN.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException heldOpen) {
      // a process it started still holds the pipe: the lines that came are logged, the rest is not waited for
    }
  }

  private void pump() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8)); logOut) {
      for (String line; (line = in.readLine()) != null; ) {
        logOut.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        logOut.flush();
        synchronized (lines) {
          if (lines.size() == KEPT_LINES) {
            lines.removeFirst();
          }
          lines.addLast(line);
          linesSeen++;
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process is gone and took its end of the pipe with it
    } finally {
      synchronized (lines) {
        outputClosed.complete(null);
        lines.notifyAll();
      }
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
