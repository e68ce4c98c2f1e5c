package io.hyperinfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A second JVM holding a disk store open (resources/probe/StoreProbe.java, run in source-file mode). */
final class StoreProbe implements AutoCloseable {
  private final Process process;

  /** Starts the probe on {@code dir} and returns once its store is open. */
  StoreProbe(Path dir, String... jvmArgs) throws Exception {
    Path source = Path.of(StoreProbe.class.getResource("/probe/StoreProbe.java").toURI());
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-Dhyperinfer.log.level=WARN"));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), source.toString(), dir.toString()));
    process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("open", out.readLine(), "the probe should open its store");
  }

  /** Lets the probe stop its store and exit normally. */
  void exit() throws Exception {
    process.getOutputStream().close();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue());
  }

  /** SIGKILL, and waits for the process to be gone. */
  void kill() {
    process.destroyForcibly();
    try {
      assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
