package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.gateway.limit.Limits;
import io.hyperinfer.gateway.limit.RateLimiter;
import io.hyperinfer.gateway.routing.Router;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.RpcCall;
import io.hyperinfer.worker.net.StreamSink;
import java.time.Duration;
import java.util.List;

/**
 * The clients' only entry point. Announces {@value #TOPIC}; forwards account methods to Auth; serves {@code infer}
 * (streamed: chunks {@code {text}}, then an end frame with usage, timings, processor and attempts), {@code models} and
 * {@code usage}. Every request is authenticated (API key or session, cached for {@code gateway.validationTtl}),
 * admitted by the rate limiter, routed, and metered. Config keys and defaults are in the module README.
 */
public final class GatewayWorker extends Worker {
  public static final String TOPIC = "hyperinfer/gateway";
  public static final String MODEL_TOPIC_PREFIX = "hyperinfer/model/";
  public static final String PROCESSOR_TOPIC = "hyperinfer/processor";
  /** Account methods served by Auth and forwarded unchanged. */
  public static final List<String> ACCOUNT_METHODS = List.of("register", "login", "logout", "createApiKey",
      "listApiKeys", "revokeApiKey", "setRole", "listUsers", "revokeSession");

  private volatile AuthClient auth;
  private volatile RateLimiter limiter;
  private volatile Router router;
  private volatile InferenceRelay relay;
  private volatile UsageMeter usage;
  private volatile UsageService usageService;
  private volatile ProcessorMonitor monitor;

  public GatewayWorker(WorkerContext ctx, Config config, Facilities facilities) {
    super(ctx, config, facilities);
  }

  @Override
  protected void validateConfig(Config c) {
    c.duration("gateway.validationTtl", Duration.ofSeconds(5));
    c.duration("gateway.firstTokenTimeout", Duration.ofSeconds(30));
    c.duration("gateway.requestTimeout", Duration.ofMinutes(5));
    c.intValue("gateway.maxAttempts", 3);
  }

  @Override
  protected void onStart() {
    Config c = config();
    Limits defaults = Limits.fromConfig(c.at("/gateway/limits"), Limits.DEFAULT);
    auth = new AuthClient(net(), c.string("gateway.authTopic", "hyperinfer/auth"),
        c.duration("gateway.authTimeout", Duration.ofSeconds(5)), defaults, clock(),
        c.duration("gateway.validationTtl", Duration.ofSeconds(5)));
    limiter = new RateLimiter(clock());
    router = new Router(clock(), c.intValue("gateway.breaker.threshold", 3),
        c.duration("gateway.breaker.cooldown", Duration.ofSeconds(10)), Duration.ofMillis(50));
    relay = new InferenceRelay(net(), router, c.duration("gateway.firstTokenTimeout", Duration.ofSeconds(30)),
        c.duration("gateway.requestTimeout", Duration.ofMinutes(5)), c.intValue("gateway.maxAttempts", 3));
    usage = new UsageMeter(store().bee("usage"), clock());
    usageService = new UsageService(net(), usage, auth);
    for (String method : ACCOUNT_METHODS) {
      net().respond(method, call -> auth.call(method, call.payload()));
    }
    net().respondStream("infer", this::infer);
    net().respond("models", call -> models());
    net().respond("usage", usageService::usage);
    net().respond(UsageService.SHARD_METHOD, usageService::shard);
    net().announce(TOPIC).join();
    monitor = new ProcessorMonitor(net(), router, c.duration("gateway.statusInterval", Duration.ofSeconds(2)));
    monitor.start();
    log.info("gateway ready (validation cache {} ms)", auth.cacheTtl().toMillis());
  }

  @Override
  protected void onStop() {
    if (monitor != null) {
      monitor.close();
    }
    net().unannounce(TOPIC).join();
  }

  private void infer(RpcCall call, StreamSink sink) {
    LatencyBreakdown.Stopwatch watch = new LatencyBreakdown.Stopwatch();
    Principal who = auth.authenticate(call.payload());
    watch.authDone();
    ObjectNode forward = InferRequest.toProcessorPayload(call.payload());
    String model = forward.get("model").asText();
    if (!who.mayUse(model)) {
      throw new NetException(GatewayException.Code.FORBIDDEN.wire(), "this API key may not use model '" + model + "'");
    }
    long estimate = InferRequest.estimateTokens(forward);
    RateLimiter.Permit permit;
    try {
      permit = limiter.admit(who.limitSubject(), who.userId(), who.limits(), estimate,
          usage.userToday(who.userId()).totalTokens());
    } catch (GatewayException e) {
      usage.record(who.userId(), who.keyId(), false, 0, 0);
      throw new NetException(e.wireCode(), e.getMessage(), Json.valueToTree(e.details()));
    }
    watch.queueDone();
    try (permit) {
      InferenceRelay.Outcome out = relay.relay(MODEL_TOPIC_PREFIX + model, forward, sink, call.cancel(), watch);
      JsonNode u = out.end().path("usage");
      long prompt = u.path("promptTokens").asLong();
      long completion = u.path("completionTokens").asLong();
      usage.record(who.userId(), who.keyId(), true, prompt, completion);
      permit.complete(prompt + completion);
      ObjectNode end = Json.object().put("model", model)
          .put("finishReason", out.end().path("finishReason").asText("stop"));
      end.putObject("usage").put("promptTokens", prompt).put("completionTokens", completion)
          .put("totalTokens", prompt + completion);
      double ttft = out.end().path("timings").path("engineTtftMs").asDouble(-1);
      end.set("timings", Json.valueToTree(watch.finish(out.processorMs(), ttft).toMap()));
      end.put("processor", out.processor().shortId()).put("attempts", out.attempts());
      sink.end(end);
    } catch (NetException e) {
      usage.record(who.userId(), who.keyId(), false, 0, 0);
      permit.complete(0);
      throw e;
    }
  }

  private ObjectNode models() {
    ObjectNode out = Json.object();
    ArrayNode list = out.putArray("models");
    java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
    for (var reply : net().topicRequestAll(PROCESSOR_TOPIC, "models", Json.object()).join()) {
      if (reply.isOk()) {
        reply.result().path("models").forEach(m -> counts.merge(m.path("id").asText(), 1, Integer::sum));
      }
    }
    counts.forEach((id, n) -> list.addObject().put("id", id).put("processors", n));
    return out;
  }

  /** This gateway's network public key: what Auth and processors allowlist. */
  public byte[] publicKey() {
    return net().publicKey();
  }

  /** Polls every processor's status once now (the monitor does this every {@code gateway.statusInterval}). */
  public int pollProcessors() {
    return monitor.poll();
  }

  /** For tests and the status page: the router's view of one processor. */
  public java.util.Map<String, Object> routerSnapshot(String processorKeyHex) {
    return router.snapshot(new io.hyperinfer.gateway.routing.ProcessorRef(processorKeyHex));
  }
}
