package io.hyperinfer.app;

import io.hyperinfer.app.demo.Demo;
import io.hyperinfer.app.demo.DemoContext;
import io.hyperinfer.app.demo.DemoJourney;
import io.hyperinfer.worker.net.memory.MemoryNetwork;
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

/** {@code hyperinfer demo}: a local network in this process, walked step by step (exit 0 only if all pass). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a local network in this process and walk a user journey, printing each step.")
final class DemoCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--store-dir", description = "Where workers keep their stores (default: a temporary directory, "
      + "deleted at the end).")
  Path storeDir;

  @Option(names = "--fast-hashing", description = "Use the cheapest Argon2id cost instead of the interactive one.")
  boolean fastHashing;

  @Option(names = "--verbose", description = "Show the workers' own log lines (INFO) on stderr.")
  boolean verbose;

  @Override
  public Integer call() throws IOException {
    // The demo tells its own story; worker log lines (even expected warnings, like a refused non-gateway) only
    // distract unless asked for.
    Logs.setRootLevel(verbose ? "INFO" : "ERROR");
    PrintWriter out = spec.commandLine().getOut();
    boolean temporary = storeDir == null;
    Path root = temporary ? Files.createTempDirectory("hyperinfer-demo-") : Files.createDirectories(storeDir);
    out.println("Hyperinfer demo: a local network in this process (in-memory DHT and RPC), stores under " + root);
    out.println();
    Demo.Result result;
    try (DemoContext ctx = new DemoContext(new MemoryNetwork(), root, fastHashing)) {
      result = new Demo(DemoJourney.steps(), out).run(ctx);
    } finally {
      if (temporary) {
        deleteTree(root);
      }
    }
    out.println();
    if (result.ok()) {
      out.println("All " + result.total() + " steps did what they should.");
      out.flush();
      return 0;
    }
    out.println("Demo failed after " + result.passed() + " of " + result.total() + " steps: " + result.failure());
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
