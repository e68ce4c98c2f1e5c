package io.hyperinfer.app.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ClientWorker} in this process that joined a running network through its bootstrap nodes: what {@code cli},
 * {@code serve-openai} and the demo talk through. It never starts a network. Its identity is fresh for each run (a
 * client needs none that lasts: its session and API key say who it is); it keeps nothing on disk. Thread-safe.
 */
public final class JoinedClient implements AutoCloseable {
  /** The longest joining may take (binding, bootstrapping). */
  public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final ClientWorker client;

  private JoinedClient(ClientWorker client) {
    this.client = client;
  }

  /** Joins through {@code bootstrap}; fails with the facility's one-sentence error when no node answers. */
  public static JoinedClient join(List<HostPort> bootstrap, String name) throws Exception {
    return join(bootstrap, name, Json.object());
  }

  /** {@link #join(List, String)} with more client config ({@code client.timeout}, ...) merged over the defaults. */
  public static JoinedClient join(List<HostPort> bootstrap, String name, ObjectNode config) throws Exception {
    ObjectNode tree = Transport.joining(bootstrap);
    ObjectNode extra = config.deepCopy();
    extra.remove("facs");
    tree.setAll(extra);
    ClientWorker client = new ClientWorker(new WorkerContext("client", "launcher", name), Config.of(tree),
        Facilities.of(Transport.facility(), new MemoryStoreFacility()));
    try {
      client.start().get(JOIN_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      client.stop();
      throw e.getCause() instanceof Exception cause ? cause : e;
    } catch (TimeoutException e) {
      client.stop();
      throw e;
    }
    return new JoinedClient(client);
  }

  public ClientWorker client() {
    return client;
  }

  @Override
  public void close() throws Exception {
    client.stop().get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }
}
