package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.services.testkit.ServiceNetwork;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A whole network for integration tests: gateways, the real Auth, processors ({@link ServiceNetwork}, the shared
 * services testkit) and a calling client.
 */
final class Cluster implements AutoCloseable {
  final ServiceNetwork services = ServiceNetwork.realTime(7);
  final TestNetwork network = services.network();
  final TestWorkers workers = services.workers();
  final List<GatewayWorker> gateways = new ArrayList<>();

  GatewayWorker gateway(String json) {
    return gateway(json, network.facilities());
  }

  GatewayWorker gateway(String json, Clock clock) {
    return gateway(json, network.facilities().withClock(clock));
  }

  GatewayWorker gateway(String json, io.micrometer.core.instrument.MeterRegistry registry) {
    return gateway(json, network.facilities().withMetrics(registry));
  }

  private GatewayWorker gateway(String json, Facilities facilities) {
    GatewayWorker g = services.gateway(new GatewayWorker(TestDataFactory.context("gateway"),
        Config.of(Json.parse(json)), facilities));
    gateways.add(g);
    return g;
  }

  /** Auth allowlisting every gateway started so far. */
  AuthWorker auth() {
    return services.auth();
  }

  /** A processor on the builtin engine, accepting infer only from the gateways started so far. */
  ProcessorWorker processor(String engineJson) {
    return services.processor(engineJson);
  }

  /** As {@link #processor(String)}, with {@code processor.embedding} = {@code embeddingJson}. */
  ProcessorWorker processor(String engineJson, String embeddingJson) {
    return services.processor(engineJson, embeddingJson);
  }

  Caller client() {
    return workers.start(new Caller(network.facilities()));
  }

  /**
   * What most tests start from: a gateway with {@code gatewayJson}, Auth, a processor per engine config (in order),
   * and a client holding a fresh account made through that gateway.
   */
  Entry entry(String gatewayJson, String... engineJsons) {
    GatewayWorker g = gateway(gatewayJson);
    auth();
    List<ProcessorWorker> processors = new ArrayList<>();
    for (String engine : engineJsons) {
      processors.add(processor(engine));
    }
    Caller client = client();
    return new Entry(g, List.copyOf(processors), client, client.account(g, Json.object()));
  }

  /** A client and its account ({session, apiKey, userId, keyId}) on one gateway. */
  record Entry(GatewayWorker gateway, List<ProcessorWorker> processors, Caller client, ObjectNode account) {
    String apiKey() {
      return account.get("apiKey").asText();
    }

    JsonNode call(String method, JsonNode payload) {
      return client.call(gateway, method, payload);
    }

    Stream stream(ObjectNode payload) {
      return client.stream(gateway, payload);
    }

    /** Streams {@code prompt} from builtin-echo with the account's API key. */
    Stream echo(String prompt) {
      return stream(infer("apiKey", apiKey(), "builtin-echo", prompt));
    }
  }

  Set<String> gatewayKeys() {
    return services.gatewayKeys();
  }

  @Override
  public void close() {
    services.close();
  }

  /** The client side: calls gateways found by topic. */
  static final class Caller extends Worker {
    Caller(Facilities facilities) {
      this(facilities, Config.empty());
    }

    Caller(Facilities facilities, Config config) {
      super(TestDataFactory.context("client"), config, facilities);
    }

    /** Like the real client worker: inside a network only rostered gateways are found. */
    @Override
    protected void onStart() {
      io.hyperinfer.contract.NetworkNames.trustRoster(net(), peerPolicy());
    }

    NetFacility network() {
      return net();
    }

    JsonNode call(String method, JsonNode payload) {
      try {
        return net().topicRequest(GatewayWorker.TOPIC, method, payload).join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }

    JsonNode call(GatewayWorker g, String method, JsonNode payload) {
      try {
        return net().request(g.publicKey(), method, payload).join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }

    /** Registers, logs in and creates a key: returns {session, apiKey, userId, keyId}. */
    ObjectNode account(GatewayWorker g, ObjectNode keyRequest) {
      ObjectNode user = TestDataFactory.user();
      call(g, "register", user);
      JsonNode login = call(g, "login", user);
      ObjectNode k = keyRequest.deepCopy().put("session", login.get("session").asText());
      k.put("name", "key-" + TestDataFactory.unique());
      JsonNode key = call(g, "createApiKey", k);
      return Json.object().put("session", login.get("session").asText()).put("apiKey", key.get("apiKey").asText())
          .put("userId", login.get("userId").asText()).put("keyId", key.path("key").path("keyId").asText());
    }

    Stream stream(GatewayWorker g, ObjectNode payload) {
      Stream s = new Stream();
      s.call = net().requestStream(g.publicKey(), "infer", payload, s);
      return s;
    }
  }

  /** A client's view of one streamed answer. */
  static final class Stream implements StreamListener {
    final List<String> texts = new CopyOnWriteArrayList<>();
    final List<Long> seqs = new CopyOnWriteArrayList<>();
    StreamCall call;

    @Override
    public void onChunk(long seq, JsonNode chunk) {
      seqs.add(seq);
      texts.add(chunk.path("text").asText());
    }

    @Override
    public void onEnd(JsonNode last) {}

    @Override
    public void onError(NetException error) {}

    JsonNode end() {
      try {
        return call.done().join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }

    String text() {
      return String.join("", texts);
    }
  }

  static ObjectNode infer(String credentialField, String credential, String model, String prompt) {
    return Json.object().put(credentialField, credential).put("model", model).put("prompt", prompt)
        .put("maxTokens", 64);
  }
}
