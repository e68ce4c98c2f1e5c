package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.launch.Child;
import io.hyperinfer.app.launch.TestLaunchers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code hyperinfer up --dir DIR --fast-hashing --processors 1} run from the packaged jar for a test, until closed
 * (SIGTERM, which must stop every process cleanly). Commands given {@code --data-dir DIR} join it with no other flag;
 * others need {@code --bootstrap} and {@code --network} ({@link #join()}).
 */
final class RunningUp implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(150);

  final Path dir;
  final Child up;
  final String bootstrap;
  /** The network key {@code up} made and printed ("Network KEY: ..."). */
  final String network;

  RunningUp(Path dir) throws Exception {
    this(dir, List.of(), List.of());
  }

  /**
   * {@code up} with {@code options} added to its command line and {@code jvmOptions} for its own JVM only (its
   * children get the usual ones).
   */
  RunningUp(Path dir, List<String> options, List<String> jvmOptions) throws Exception {
    this.dir = dir;
    List<String> command = new java.util.ArrayList<>(List.of("up", "--dir", dir.toString(), "--fast-hashing",
        "--processors", "1"));
    command.addAll(options);
    up = TestLaunchers.jar().withJvmOptions(jvmOptions.toArray(String[]::new)).start("up", command,
        dir.resolve("up.log"));
    try {
      bootstrap = awaitUp();
    } catch (RuntimeException | Error e) {
      killAll(processes());
      up.kill();
      throw e;
    }
    network = up.lines().stream().filter(l -> l.matches("Network [0-9a-f]{64}: .*")).findFirst()
        .map(l -> l.substring("Network ".length(), "Network ".length() + 64))
        .orElseThrow(() -> new AssertionError("up printed no network key: " + String.join("\n", up.lines())));
  }

  private String awaitUp() {
    String address = up.awaitLine(l -> Optional.of(l).filter(s -> s.startsWith("Local network up: bootstrap "))
        .map(s -> s.substring("Local network up: bootstrap ".length()).strip()), READY, "'Local network up'");
    up.awaitLine(l -> Optional.of(l).filter(s -> s.startsWith("Ctrl-C stops")), READY, "'Ctrl-C stops'");
    return address;
  }

  /** The flags that join this network from another data directory. */
  List<String> join() {
    return List.of("--bootstrap", bootstrap, "--network", network);
  }

  /** The processes {@code up} started that still run. */
  List<ProcessHandle> processes() {
    return ProcessHandle.of(up.pid()).map(p -> p.descendants().toList()).orElse(List.of());
  }

  /**
   * Stops {@code up} with SIGTERM and asserts that it stopped every process cleanly; whatever of its process tree is
   * still alive after that (a failed stop) is killed, so no worker outlives the test JVM. The directory is deleted
   * after a clean stop and kept, with the logs the assertion names, after a failed one.
   */
  @Override
  public void close() {
    List<ProcessHandle> tree = processes();
    try {
      int status = up.stop(Duration.ofSeconds(60));
      assertTrue(up.lines().contains("Stopped cleanly."), dir + ":\n" + String.join("\n", up.lines()));
      assertEquals(0, status, dir + ":\n" + String.join("\n", up.lines()));
    } finally {
      killAll(tree);
    }
    deleteTree(dir);
  }

  /** SIGKILL to what is left of {@code up} and its workers: the test JVM's exit when {@link #close()} never ran. */
  void killOnJvmExit() {
    // the handle, not the pid: it knows the process's start time, so a reused pid is never killed
    ProcessHandle handle = ProcessHandle.of(up.pid()).orElseThrow();
    Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
      killAll(handle.descendants().toList());
      handle.destroyForcibly();
    }));
  }

  private static void killAll(List<ProcessHandle> processes) {
    processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }
}
