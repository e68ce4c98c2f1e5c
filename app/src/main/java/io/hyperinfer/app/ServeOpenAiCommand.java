package io.hyperinfer.app;

import io.hyperinfer.app.demo.DemoContext;
import io.hyperinfer.client.openai.OpenAiServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer serve-openai}: a whole local network in this process behind an OpenAI-compatible endpoint on
 * 127.0.0.1, until Ctrl-C.
 */
@Command(name = "serve-openai", mixinStandardHelpOptions = true,
    description = "Start a local network in this process and serve an OpenAI-compatible API on 127.0.0.1.")
final class ServeOpenAiCommand implements Callable<Integer> {
  /** Only loopback: the endpoint trusts whoever holds a key, and this is a local tool. */
  static final String HOST = "127.0.0.1";

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8080", description = "Port on 127.0.0.1 (0 picks a free one; "
      + "default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--store-dir", description = "Where workers keep their stores (default: a temporary directory, "
      + "deleted at the end).")
  Path storeDir;

  @Mixin
  EngineOptions engines = new EngineOptions();

  @Option(names = "--fast-hashing", description = "Use the cheapest Argon2id cost instead of the interactive one.")
  boolean fastHashing;

  @Option(names = "--verbose", description = "Show the workers' own log lines (INFO) on stderr.")
  boolean verbose;

  /** Opened on Ctrl-C (or by a test) to stop serving. */
  final CountDownLatch stop = new CountDownLatch(1);
  /** Opened once the network is shut down, so Ctrl-C waits for stores to be closed before the JVM exits. */
  private final CountDownLatch closed = new CountDownLatch(1);
  /** The running network once the endpoint is up, for tests in this package. */
  volatile LocalNetwork network;

  @Override
  public Integer call() throws Exception {
    Logs.setRootLevel(verbose ? "INFO" : "ERROR");
    PrintWriter out = spec.commandLine().getOut();
    Thread hook = Thread.ofPlatform().unstarted(this::stopAndWait);
    Runtime.getRuntime().addShutdownHook(hook);
    try (LocalNetwork local = LocalNetwork.start(storeDir, fastHashing, engines);
         OpenAiServer server = new OpenAiServer(local.client(), HOST, port)) {
      out.println("Local network started (Auth, a Gateway, two Processors: " + engines.describe() + "), stores under "
          + local.root());
      out.println("OpenAI-compatible API on http://" + HOST + ":" + server.port() + "/v1 (Bearer: a Hyperinfer API "
          + "key; create one with `hyperinfer cli --store-dir DIR register|login|keys create`)");
      out.flush();
      network = local;
      stop.await();
      network = null;
    } finally {
      closed.countDown();
      removeHook(hook);
    }
    return 0;
  }

  private void stopAndWait() {
    stop.countDown();
    try {
      closed.await(DemoContext.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already exiting because of Ctrl-C; the hook has run.
    }
  }
}
