package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.launch.Child;
import io.hyperinfer.app.launch.TestLaunchers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
    this.dir = dir;
    up = TestLaunchers.jar().start("up", List.of("up", "--dir", dir.toString(), "--fast-hashing", "--processors", "1"),
            dir.resolve("up.log"));
    bootstrap = up.awaitLine(l -> Optional.of(l).filter(s -> s.startsWith("Local network up: bootstrap "))
        .map(s -> s.substring("Local network up: bootstrap ".length()).strip()), READY, "'Local network up'");
    up.awaitLine(l -> Optional.of(l).filter(s -> s.startsWith("Ctrl-C stops")), READY, "'Ctrl-C stops'");
    network = up.lines().stream().filter(l -> l.matches("Network [0-9a-f]{64}: .*")).findFirst()
        .map(l -> l.substring("Network ".length(), "Network ".length() + 64))
        .orElseThrow(() -> new AssertionError("up printed no network key: " + String.join("\n", up.lines())));
  }

  /** The flags that join this network from another data directory. */
  List<String> join() {
    return List.of("--bootstrap", bootstrap, "--network", network);
  }

  /**
   * Stops {@code up} with SIGTERM and asserts that it stopped every process cleanly; whatever of its process tree is
   * still alive after that (a failed stop) is killed, so no worker outlives the test JVM.
   */
  @Override
  public void close() {
    List<ProcessHandle> tree = ProcessHandle.of(up.pid()).map(p -> p.descendants().toList()).orElse(List.of());
    try {
      int status = up.stop(Duration.ofSeconds(60));
      assertTrue(up.lines().contains("Stopped cleanly."), String.join("\n", up.lines()));
      assertEquals(0, status, String.join("\n", up.lines()));
    } finally {
      killAll(tree);
    }
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
}
