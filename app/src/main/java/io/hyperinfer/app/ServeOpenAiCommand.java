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
    description = {"Serve an OpenAI-compatible API (/v1/chat/completions, /v1/completions, /v1/embeddings, "
        + "/v1/models) on 127.0.0.1 in front of a running network (see 'hyperinfer up'); never starts one.",
        "Callers send a Hyperinfer API key as the Bearer token (OpenAI SDKs: api_key). Get one with "
            + "'hyperinfer cli register --email E', 'hyperinfer cli login --email E', 'hyperinfer cli keys create'."})
final class ServeOpenAiCommand implements Callable<Integer> {
  /** Only loopback: the endpoint trusts whoever holds a key, and this is a local tool. */
  static final String HOST = "127.0.0.1";
  /** How long Ctrl-C waits for the client to leave the network. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(15);

  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT", description = "Port on 127.0.0.1 (0 picks "
      + "a free one; default ${DEFAULT-VALUE}).")
  String port;

  @Mixin
  JoinOptions join = new JoinOptions();

  /** Opened on Ctrl-C (or by a test) to stop serving. */
  final CountDownLatch stop = new CountDownLatch(1);
  /** Opened once the network is shut down, so Ctrl-C waits for stores to be closed before the JVM exits. */
  private final CountDownLatch closed = new CountDownLatch(1);
  /** The joined client once the endpoint is up, for tests in this package. */
  volatile ClientWorker client;

  @Override
  public Integer call() throws Exception {
    boolean verbose = Hyperinfer.verbose(spec);
    // Joining fails with one sentence of its own; the worker's log line saying the same would only repeat it.
    Logs.setRootLevel(verbose ? "INFO" : "OFF");
    PrintWriter out = spec.commandLine().getOut();
    int httpPort = Bootstrap.port("--port: bad port", port, true);
    ensureFree(httpPort);
    Thread hook = Thread.ofPlatform().unstarted(this::stopAndWait);
    Runtime.getRuntime().addShutdownHook(hook);
    List<HostPort> nodes = join.bootstrap();
    PrintWriter err = spec.commandLine().getErr();
    err.println("joining the network through DHT bootstrap " + Bootstrap.format(nodes) + "...");
    err.flush();
    try (JoinedClient joined = JoinedClient.join(nodes, "serve-openai", join.config("serve-openai"));
         OpenAiServer server = listen(joined.client(), httpPort)) {
      Logs.setRootLevel(verbose ? "INFO" : "ERROR");
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

  /** Fails before joining when the port is taken, so the user does not wait for the join to learn it. */
  private static void ensureFree(int port) {
    if (port == 0) {
      return;
    }
    try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
      probe.bind(new java.net.InetSocketAddress(HOST, port));
    } catch (java.io.IOException e) {
      throw portInUse(port);
    }
  }

  private static OpenAiServer listen(ClientWorker client, int port) throws java.io.IOException {
    try {
      return new OpenAiServer(client, HOST, port);
    } catch (java.net.BindException e) {
      throw portInUse(port);
    }
  }

  private static LauncherException portInUse(int port) {
    return new LauncherException(LauncherException.Code.FAILED, "port " + port + " on " + HOST + " is in use: stop "
        + "what listens there, or pick another with --port (0 picks a free one)");
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
