package io.hyperinfer.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM holding a disk store open ({@link Program}, from the compiled test classes: source-file mode compiled
 * it in every probe first, most of each probe's start; C1-only, as a JVM living seconds).
 */
final class StoreProbe implements AutoCloseable {
  private final Process process;

  /** Starts the probe on {@code dir} and returns once its store is open. */
  StoreProbe(Path dir, String... jvmArgs) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Dhyperinfer.log.level=WARN"));
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Program.class.getName(), dir.toString()));
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

  /** The probe's JVM: opens a disk store in args[0], writes, says so, waits for stdin to close. */
  static final class Program {
    private Program() {}

    public static void main(String[] args) throws Exception {
      DiskStoreFacility store = new DiskStoreFacility(Path.of(args[0]));
      store.start(new FacilityContext(new WorkerContext("probe", "test", "1"), Config.empty(), Clock.systemUTC(),
          new SimpleMeterRegistry(), Ed25519::generate));
      store.bee("b").putString("k", "v");
      System.out.println("open");
      System.out.flush();
      System.in.read();
      store.stop();
    }
  }
}
