package io.hyperinfer.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the pinned JS reference (interop/package.json) as a peer for interop tests.
 *
 * <p>On first use it runs {@code npm ci} in {@code interop/}, once per checkout, under a file lock so parallel test
 * JVMs do not race. Where node is missing the test is skipped with a loud message, except where interop is required
 * ({@code -Dinterop.required=true}, or {@code CI=true} unless {@code -Dinterop.required=false}), where a missing
 * node fails the test: interop must never pass silently. {@code -Dinterop.node} names another node binary.
 * Thread-safe.
 */
public final class JsPeers {
  private static final Duration NPM_CI_TIMEOUT = Duration.ofMinutes(5);
  private static final Set<Path> INSTALLED = ConcurrentHashMap.newKeySet();

  private JsPeers() {}

  /** Ensures node and the pinned packages are present, or skips (locally) / fails (CI) the calling test. */
  public static void require() {
    if (!nodeAvailable()) {
      String message = "INTEROP SKIPPED: node is not on PATH, so the JS reference peers cannot run."
          + " Install Node.js 20+ to run interop tests.";
      System.err.println("\n*** " + message + " ***\n");
      if (required()) {
        throw new AssertionError(message + " (required here: CI=true or -Dinterop.required=true)");
      }
      Assumptions.abort(message);
    }
    ensureInstalled();
  }

  /** Starts {@code node script args...} with {@code interop/} as working directory; the caller closes it. */
  public static JsProcess start(Path script, String... args) {
    require();
    List<String> command = new ArrayList<>(List.of(node(), script.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(ProjectPaths.interop().toFile());
      // Scripts may live anywhere (test resources, temp dirs): resolve require() against the pinned packages.
      builder.environment().put("NODE_PATH", ProjectPaths.interop().resolve("node_modules").toString());
      Process process = builder.start();
      return new JsProcess(process, String.join(" ", command));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Whether a missing node fails tests: {@code -Dinterop.required} when set, else whether {@code CI=true}. */
  static boolean required() {
    String configured = System.getProperty("interop.required", "");
    if (!configured.isBlank()) {
      return Boolean.parseBoolean(configured.trim());
    }
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static String node() {
    return System.getProperty("interop.node", "node");
  }

  static boolean nodeAvailable() {
    try {
      Process p = new ProcessBuilder(node(), "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static synchronized void ensureInstalled() {
    Path dir = ProjectPaths.interop();
    if (INSTALLED.contains(dir)) {
      return;
    }
    Path lock = dir.resolve(".npm-ci.lock");
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        var ignored = channel.lock()) {
      Path stamp = dir.resolve("node_modules/.hyperinfer-installed");
      if (!Files.exists(stamp)
          || Files.getLastModifiedTime(stamp).compareTo(Files.getLastModifiedTime(dir.resolve("package-lock.json"))) < 0) {
        runNpmCi(dir);
        Files.createDirectories(stamp.getParent()); // npm ci makes no node_modules for a lock without packages
        Files.writeString(stamp, "installed by JsPeers\n");
      }
      INSTALLED.add(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the pinned JS peers in " + dir, e);
    }
  }

  /**
   * Runs {@code npm ci}, its output relayed to stderr line by line: written straight to the fork's stdout, it would
   * corrupt the channel surefire talks to the fork on.
   */
  private static void runNpmCi(Path dir) throws IOException {
    System.err.println("[interop] npm ci in " + dir);
    Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(dir.toFile())
        .redirectErrorStream(true).start();
    Thread relay = Thread.ofPlatform().daemon().start(() -> { // a pipe reader: see JsProcess
      try (var lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        lines.lines().forEach(line -> System.err.println("[npm] " + line));
      } catch (IOException | UncheckedIOException gone) {
        // npm exited; its exit code says the rest
      }
    });
    try {
      if (!p.waitFor(NPM_CI_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("npm ci timed out after " + NPM_CI_TIMEOUT + " in " + dir);
      }
      relay.join(Duration.ofSeconds(10));
      if (p.exitValue() != 0) {
        throw new IOException("npm ci failed in " + dir + " with exit " + p.exitValue() + " (output above, [npm])");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      throw new IOException("interrupted during npm ci", e);
    }
  }
}
