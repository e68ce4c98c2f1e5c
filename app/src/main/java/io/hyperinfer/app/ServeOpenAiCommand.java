package io.hyperinfer.app;

import io.hyperinfer.app.launch.Bootstrap;
import io.hyperinfer.app.launch.JoinOptions;
import io.hyperinfer.app.net.JoinedClient;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.openai.OpenAiServer;
import io.hyperinfer.encoding.HostPort;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer serve-openai}: an OpenAI-compatible endpoint on 127.0.0.1 in front of a running network (joined
 * with {@code --bootstrap}, or the one {@code hyperinfer up} runs), until Ctrl-C. It never starts a network itself.
 */
@Command(name = "serve-openai", mixinStandardHelpOptions = true,
    description = "Serve an OpenAI-compatible API on 127.0.0.1 in front of a running network (see 'hyperinfer up').")
final class ServeOpenAiCommand implements Callable<Integer> {
  /** Only loopback: the endpoint trusts whoever holds a key, and this is a local tool. */
  static final String HOST = "127.0.0.1";
  /** How long Ctrl-C waits for the client to leave the network. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8080", description = "Port on 127.0.0.1 (0 picks a free one; "
      + "default ${DEFAULT-VALUE}).")
  int port;

  @Mixin
  JoinOptions join = new JoinOptions();

  @Option(names = "--verbose", description = "Show the workers' own log lines (INFO) on stderr.")
  boolean verbose;

  /** Opened on Ctrl-C (or by a test) to stop serving. */
  final CountDownLatch stop = new CountDownLatch(1);
  /** Opened once the network is shut down, so Ctrl-C waits for stores to be closed before the JVM exits. */
  private final CountDownLatch closed = new CountDownLatch(1);
  /** The joined client once the endpoint is up, for tests in this package. */
  volatile ClientWorker client;

  @Override
  public Integer call() throws Exception {
    Logs.setRootLevel(verbose ? "INFO" : "ERROR");
    PrintWriter out = spec.commandLine().getOut();
    Thread hook = Thread.ofPlatform().unstarted(this::stopAndWait);
    Runtime.getRuntime().addShutdownHook(hook);
    List<HostPort> nodes = join.bootstrap();
    try (JoinedClient joined = JoinedClient.join(nodes, "serve-openai");
         OpenAiServer server = new OpenAiServer(joined.client(), HOST, port)) {
      out.println("Joined the network through " + Bootstrap.format(nodes) + "; gateways found: "
          + joined.client().gatewaysFound().size());
      out.println("OpenAI-compatible API on http://" + HOST + ":" + server.port() + "/v1 (Bearer: a Hyperinfer API "
          + "key; create one with `hyperinfer cli register`, `hyperinfer cli login`, `hyperinfer cli keys create`)");
      out.flush();
      client = joined.client();
      stop.await();
      client = null;
    } finally {
      closed.countDown();
      removeHook(hook);
    }
    return 0;
  }

  private void stopAndWait() {
    stop.countDown();
    try {
      closed.await(CLOSE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
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
