package io.hyperinfer.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.launch.Child;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.launch.ReadyLine;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.EmbeddingResult;
import io.hyperinfer.client.InferCall;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.processor.engine.Embeddings;
import io.hyperinfer.worker.Json;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The inference journey: a Gateway, Auth and two Processors on the builtin engine with the embedded all-MiniLM-L6-v2; a
 * user signs up through the gateway, streams an answer with an API key, embeds sentences with a real model across the
 * network, uses a session, hits a rate limit, and survives a processor process killed with SIGKILL before its first
 * token. {@link #startNetwork()} replaces {@link AuthDemoSteps#startAuth()}: it starts the whole network of processes,
 * Auth allowing both the demo's gateway peer and the real Gateway.
 */
public final class InferenceDemoSteps {
  public static final String GATEWAY = "inference.gateway";
  public static final String PROCESSORS = "inference.processors";
  public static final String CLIENT = "inference.client";
  static final String EMAIL = "bob@example.com";
  static final String PASSWORD = "tea-Kettle-42-whistle";
  static final String MODEL = "builtin-echo";
  static final String EMBEDDING_MODEL = "all-minilm-l6-v2";
  /** The embedded embedding model, on by default: real inference with nothing to install. */
  public static final String EMBEDDED = "{\"type\":\"minilm\"}";

  private InferenceDemoSteps() {}

  /**
   * The demo's processors: a visible pause before the first piece, then a steady stream. The pause is long enough
   * that the kill step, which polls both processors for the busy one before its SIGKILL, lands before the first piece
   * even on a loaded machine (a piece already forwarded to the client cannot be retried elsewhere).
   */
  public static final String DEMO_ENGINE = "{\"builtin\":{\"firstTokenDelay\":\"1200ms\",\"tokenDelay\":\"10ms\"}}";

  /** How long the gateway waits for a processor's first token before it retries elsewhere. */
  static final String FIRST_TOKEN_TIMEOUT = "3s";

  /** A Gateway, Auth and two processors that accept only that gateway, each its own process. */
  public static DemoStep startNetwork() {
    return startNetwork(DEMO_ENGINE, EMBEDDED);
  }

  /**
   * {@link #startNetwork()} with processors whose {@code processor.engine} config is {@code engineJson} and whose
   * {@code processor.embedding} config is {@code embeddingJson}.
   */
  public static DemoStep startNetwork(String engineJson, String embeddingJson) {
    return DemoStep.of("Start a network of processes: DHT nodes, a Gateway, Auth and two Processors", ctx -> {
      ProcessNetwork network = ctx.startNetwork(2, List.of("--set", "processor.engine=" + engineJson, "--set",
          "processor.embedding=" + embeddingJson, "--set", "worker.drainTimeout=300ms"),
          List.of("--set", "gateway.firstTokenTimeout=" + FIRST_TOKEN_TIMEOUT));
      ClientWorker client = ctx.joinClient("demo-client");
      ctx.put(CLIENT, client);
      List<ReadyLine> processors = List.of(network.ready(ProcessNetwork.processor(1)),
          network.ready(ProcessNetwork.processor(2)));
      ctx.put(PROCESSORS, processors);
      int serving = awaitProcessors(client, 2);
      StringBuilder out = new StringBuilder("bootstrap node " + network.bootstrapAddress() + ", two DHT nodes; each "
          + "worker is its own OS process on 127.0.0.1, on the HyperDHT, called over @hyperswarm/rpc");
      for (String name : List.of(ProcessNetwork.GATEWAY, ProcessNetwork.AUTH, ProcessNetwork.processor(1),
          ProcessNetwork.processor(2))) {
        ReadyLine r = network.ready(name);
        out.append(String.format(Locale.ROOT, "%n%-12s pid %-7d key %s", name, network.child(name).pid(),
            abbrev(r.publicKeyBytes())));
      }
      out.append('\n').append(TrustDemoSteps.describe(ctx.operator()));
      return out.append("\nthe gateway sees ").append(serving).append(" processors serving ").append(MODEL)
          .append("; logs in ").append(network.child(ProcessNetwork.GATEWAY).log().getParent()).toString();
    });
  }

  /** Waits until the gateway reports {@code count} processors serving the demo model; returns how many it saw. */
  private static int awaitProcessors(ClientWorker client, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int seen = 0;
    while (System.nanoTime() < deadline) {
      for (JsonNode m : client.models().path("models")) {
        if (MODEL.equals(m.path("id").asText())) {
          seen = m.path("processors").asInt();
        }
      }
      if (seen >= count) {
        return seen;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
    throw new DemoFailure("the gateway should see " + count + " processors serving " + MODEL + ", it sees " + seen);
  }

  public static List<DemoStep> journey() {
    return List.of(
        DemoStep.of("A user signs up through the gateway and creates an API key", ctx -> {
          ClientWorker c = client(ctx);
          c.register(EMAIL, PASSWORD);
          c.login(EMAIL, PASSWORD);
          JsonNode key = c.createApiKey("demo");
          return "registered " + EMAIL + " via the gateway; API key " + key.path("key").path("keyId").asText()
              + " created (secret shown once, kept by the client)";
        }),
        DemoStep.of("Streamed inference with the API key", ctx -> {
          List<String> pieces = new ArrayList<>();
          Answer a = client(ctx).stream(Prompt.of(MODEL, "Hello network, please stream this back"), pieces::add)
              .done().get(15, TimeUnit.SECONDS);
          DemoFailure.check(a.text().endsWith("please stream this back"), "the echo should end with the prompt");
          return "streamed " + pieces.size() + " chunks: \"" + a.text() + "\"\n" + usage(a) + "\n" + timings(a);
        }),
        DemoStep.of("Embeddings from a real model (all-MiniLM-L6-v2, in-process) across the network", ctx -> {
          List<String> texts = List.of("A cat is sleeping on the sofa.", "A kitten naps on the couch.",
              "Interest rates rose again this quarter.");
          EmbeddingResult r = client(ctx).embed(null, EMBEDDING_MODEL, texts);
          DemoFailure.check(r.vectors().size() == 3, "three vectors should come back");
          double similar = Embeddings.cosine(r.vectors().get(0), r.vectors().get(1));
          double unrelated = Embeddings.cosine(r.vectors().get(0), r.vectors().get(2));
          DemoFailure.check(similar > unrelated + 0.3, "the paraphrases should be much closer than the unrelated pair");
          return String.format(Locale.ROOT, "%d vectors of %d dimensions, %d tokens; cosine similarity:%n"
              + "  \"%s\" ~ \"%s\": %.3f%n  \"%s\" ~ \"%s\": %.3f", r.vectors().size(),
              r.vectors().getFirst().length, r.promptTokens(), texts.get(0), texts.get(1), similar, texts.get(0),
              texts.get(2), unrelated);
        }),
        DemoStep.of("Login -> session -> resource access (no API key)", ctx -> {
          ClientWorker c = client(ctx);
          String key = c.apiKey();
          c.useApiKey(null);
          try {
            Answer a = c.infer(Prompt.of(MODEL, "by session"));
            JsonNode usage = c.usage(1);
            DemoFailure.check(usage.path("total").path("requests").asInt() == 3,
                "usage should count 3 requests (stream, embeddings, session), it counts "
                    + usage.path("total").path("requests").asInt() + " from " + usage.path("gateways").asInt()
                    + " gateway(s)");
            return "answered by session: \"" + a.text() + "\"\nusage today: "
                + usage.path("total").path("requests").asInt() + " requests, "
                + usage.path("total").path("totalTokens").asInt() + " tokens";
          } finally {
            c.useApiKey(key);
          }
        }),
        DemoStep.of("A rate limit is hit (a key limited to 2 requests per minute)", ctx -> {
          ClientWorker c = client(ctx);
          ObjectNode req = Json.object().put("session", c.session()).put("name", "limited");
          req.putObject("limits").put("requestsPerMinute", 2);
          String limited = c.call("createApiKey", req).path("apiKey").asText();
          String main = c.apiKey();
          c.useApiKey(limited);
          try {
            c.infer(Prompt.of(MODEL, "one").withMaxTokens(4));
            c.infer(Prompt.of(MODEL, "two").withMaxTokens(4));
            c.infer(Prompt.of(MODEL, "three").withMaxTokens(4));
            throw new DemoFailure("the third request should have been rate limited");
          } catch (ClientException e) {
            DemoFailure.check("ERR_RATE_LIMITED".equals(e.code()), "expected ERR_RATE_LIMITED, got " + e.code());
            return "third request rejected: " + e.plainMessage();
          } finally {
            c.useApiKey(main);
          }
        }),
        DemoStep.of("A processor is killed before its first token; the other one serves the request", ctx -> {
          ClientWorker c = client(ctx);
          @SuppressWarnings("unchecked")
          List<ReadyLine> processors = ctx.get(PROCESSORS, List.class);
          InferCall call = c.stream(Prompt.of(MODEL, "still answered"), t -> { });
          ReadyLine busy = awaitBusy(ctx, processors);
          Child victim = ctx.network().workerWithKey(busy.publicKey()).orElseThrow();
          long pid = victim.pid();
          int status = ctx.network().kill(victim.name());
          Answer a = call.done().get(30, TimeUnit.SECONDS);
          DemoFailure.check(a.attempts() == 2, "expected a second attempt, got " + a.attempts());
          DemoFailure.check(a.text().endsWith("still answered"), "the answer should be complete");
          DemoFailure.check(!a.processor().startsWith(busy.publicKey().substring(0, 8)),
              "the answer should come from the other processor");
          return "SIGKILLed " + victim.name() + " (pid " + pid + ", exit status " + status + ") before its first token;"
              + "\nthe gateway retried after " + FIRST_TOKEN_TIMEOUT + " without a token: answer from processor "
              + a.processor() + " on attempt " + a.attempts() + ": \"" + a.text() + "\"";
        }));
  }

  private static ReadyLine awaitBusy(DemoContext ctx, List<ReadyLine> processors) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (ReadyLine p : processors) {
        JsonNode status = ctx.peer("probe").request(p.publicKeyBytes(), "status", Json.object())
            .get(5, TimeUnit.SECONDS);
        if (status.path("inFlight").asInt() > 0) {
          return p;
        }
      }
      Thread.onSpinWait();
    }
    throw new DemoFailure("no processor picked up the request");
  }

  private static ClientWorker client(DemoContext ctx) {
    return ctx.get(CLIENT, ClientWorker.class);
  }

  private static String usage(Answer a) {
    return a.promptTokens() + " prompt + " + a.completionTokens() + " completion tokens, served by processor "
        + a.processor() + " (attempt " + a.attempts() + ")";
  }

  private static String timings(Answer a) {
    JsonNode t = a.timings();
    return String.format(Locale.ROOT, "latency: auth %.1f ms, queue %.1f ms, routing %.1f ms, processor %.1f ms, "
        + "engine first token %.1f ms, total %.1f ms", t.path("authMs").asDouble(), t.path("queueMs").asDouble(),
        t.path("routingMs").asDouble(), t.path("processorMs").asDouble(), t.path("engineTtftMs").asDouble(),
        t.path("totalMs").asDouble());
  }

  private static String abbrev(byte[] key) {
    return HexFormat.of().formatHex(key).substring(0, 12) + "...";
  }
}
