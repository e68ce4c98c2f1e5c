package io.hyperinfer.app;

import io.hyperinfer.app.demo.Demo;
import io.hyperinfer.app.demo.DemoContext;
import io.hyperinfer.app.demo.DemoJourney;
import io.hyperinfer.app.launch.Launcher;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer demo}: a local network of worker processes on 127.0.0.1 (the real stack: HyperDHT, Noise, UDX,
 * @hyperswarm/rpc), walked step by step by this process as a client; exit 0 only if every step passes.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a local network of worker processes on 127.0.0.1 and walk a user journey, printing each step.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = {"--dir", "--store-dir"}, paramLabel = "DIR", description = "Keep the workers' stores and logs "
      + "under DIR (default: a temporary directory, deleted at the end unless a step fails).")
  Path dir;

  @Option(names = "--fast-hashing", description = "Use the cheapest Argon2id cost instead of the interactive one.")
  boolean fastHashing;

  /**
   * How the worker processes are started: this jar, with the C1 compiler only and the serial collector. The demo's
   * seven JVMs start at once and live half a minute, so their start-up CPU is what counts (about a third less wall
   * time to a ready network on two cores); {@code up} keeps the JVM's defaults for long-running workers.
   */
  Launcher launcher = Launcher.current().withJvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  @Override
  public Integer call() throws IOException {
    // The demo tells its own story; log lines (even expected warnings) only distract unless asked for. The workers'
    // own lines go to their log files.
    Logs.setRootLevel(Hyperinfer.verbose(spec) ? "INFO" : "ERROR");
    PrintWriter out = spec.commandLine().getOut();
    boolean temporary = dir == null;
    Path root = temporary ? Files.createTempDirectory("hyperinfer-demo-") : Files.createDirectories(dir);
    out.println("Hyperinfer demo: every worker a separate process on 127.0.0.1 over the real stack (HyperDHT, "
        + "Noise, UDX, @hyperswarm/rpc); data and logs under " + root);
    out.println();
    out.flush();
    long started = System.nanoTime();
    Demo.Result result;
    try (DemoContext ctx = new DemoContext(launcher, root, fastHashing)) {
      result = new Demo(DemoJourney.steps(), out).run(ctx);
    }
    out.println();
    String took = String.format(java.util.Locale.ROOT, " (%.1f s)", (System.nanoTime() - started) / 1e9);
    if (result.ok()) {
      if (temporary) {
        deleteTree(root);
      }
      out.println("All " + result.total() + " steps did what they should" + took + ".");
      out.flush();
      return 0;
    }
    out.println("Demo failed after " + result.passed() + " of " + result.total() + " steps" + took + ": "
        + result.failure());
    out.println("The processes' logs are in " + root.resolve("state").resolve("logs"));
    out.flush();
    return 1;
  }

  static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
