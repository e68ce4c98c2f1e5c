package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.Caller;
import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ModelsReply;
import io.hyperinfer.contract.infer.ServedModels;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.gateway.limit.Limits;
import io.hyperinfer.gateway.limit.RateLimiter;
import io.hyperinfer.gateway.routing.Router;
import io.hyperinfer.network.Role;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.RpcCall;
import io.hyperinfer.worker.net.StreamSink;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The clients' only entry point. Announces {@value #TOPIC}; forwards account methods to Auth with the client's
 * public key as {@code clientKey} (Auth throttles and backs off per client, not per gateway); serves {@code infer}
 * (streamed: an {@code InferRequest} in, {@code InferChunk}s, then the processor's {@code InferEnd} extended with the
 * gateway's timings, the processor and the attempts), {@code models} ({@code ModelsReply}) and {@code usage}. Every request is authenticated (API key or session, cached for {@code gateway.validationTtl}),
 * admitted by the rate limiter, routed, and metered. Config keys and defaults are in the module README.
 */
public final class GatewayWorker extends Worker {
  public static final String TOPIC = NetworkNames.GATEWAY_TOPIC;
  public static final String MODEL_TOPIC_PREFIX = NetworkNames.MODEL_TOPIC_PREFIX;
  public static final String PROCESSOR_TOPIC = NetworkNames.PROCESSOR_TOPIC;
  /** Account methods served by Auth and forwarded unchanged. */
  public static final List<String> ACCOUNT_METHODS = List.of("register", "login", "logout", "createApiKey",
      "listApiKeys", "revokeApiKey", "setRole", "listUsers", "revokeSession", "registerClientKey");

  private volatile AuthClient auth;
  private volatile RateLimiter limiter;
  private volatile Router router;
  private volatile InferenceRelay relay;
  private volatile EmbedRelay embedRelay;
  private volatile UsageMeter usage;
  private volatile UsageService usageService;
  private volatile ExecutorService usageWriter;
  private volatile ProcessorMonitor monitor;
  private volatile SessionRevocations revocations;
  private volatile InferenceLog inferences;

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
    String authTopic = c.string("gateway.authTopic", NetworkNames.AUTH_TOPIC);
    NetworkNames.trustRoster(net(), peerPolicy());
    if (peerPolicy().enforced()) {
      net().trustAnnouncers(authTopic, peerPolicy().holding(Role.AUTH));
    }
    Limits defaults = Limits.fromConfig(c.at("/gateway/limits"), Limits.DEFAULT);
    auth = new AuthClient(net(), authTopic,
        c.duration("gateway.authTimeout", Duration.ofSeconds(5)), defaults, clock(),
        c.duration("gateway.validationTtl", Duration.ofSeconds(5)));
    if (peerPolicy().enforced()) {
      revocations = new SessionRevocations(net(), authTopic, clock(),
          c.duration("gateway.revocationInterval", Duration.ofSeconds(2)));
      auth.checkSessionsOffline(new AuthClient.Offline(peerPolicy()::sessionKey, revocations));
      revocations.start();
    }
    limiter = new RateLimiter(clock());
    router = new Router(clock(), c.intValue("gateway.breaker.threshold", 3),
        c.duration("gateway.breaker.cooldown", Duration.ofSeconds(10)), Duration.ofMillis(50));
    relay = new InferenceRelay(net(), router, c.duration("gateway.firstTokenTimeout", Duration.ofSeconds(30)),
        c.duration("gateway.idleTimeout", Duration.ofSeconds(30)), c.duration("gateway.requestTimeout",
        Duration.ofMinutes(5)), c.intValue("gateway.maxAttempts", 3));
    embedRelay = new EmbedRelay(net(), router, c.duration("gateway.requestTimeout", Duration.ofMinutes(5)),
        c.intValue("gateway.maxAttempts", 3));
    usageWriter = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("usage-writer").factory());
    usage = new UsageMeter(store().bee("usage"), clock(), usageWriter, c.intValue("gateway.usage.capacity", 10_000),
        c.duration("gateway.usage.overflowWait", Duration.ofMillis(200)));
    FunctionCounter.builder("hyperinfer.usage.dropped", usage, UsageMeter::dropped).register(metrics());
    Gauge.builder("hyperinfer.usage.unflushed", usage, UsageMeter::unflushed).register(metrics());
    inferences = new InferenceLog(metrics());
    usageService = new UsageService(net(), usage, auth);
    AccountThrottle throttle = new AccountThrottle(c, clock());
    for (String method : ACCOUNT_METHODS) {
      net().respond(method, call -> {
        throttle.check(method, call.remotePublicKeyHex());
        return auth.call(method, AuthClient.withClientKey(call));
      });
    }
    net().respondStream(NetworkNames.INFER, this::infer);
    net().respond(NetworkNames.EMBED, this::embed);
    net().respond(NetworkNames.MODELS, call -> models().toJson());
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
    if (revocations != null) {
      revocations.close();
    }
    net().unannounce(TOPIC).join();
    if (usage != null) {
      usage.close(config().duration("gateway.usage.stopDrain", Duration.ofSeconds(5)));
      usageWriter.shutdown();
    }
  }

  /** Serves one inference and writes its one log line with the latency breakdown, however it ends. */
  private void infer(RpcCall call, StreamSink client) {
    InferenceLog.Entry entry = inferences.begin(client);
    try {
      infer(call, entry.sink(), entry);
    } catch (RuntimeException e) {
      entry.failed(e);
      throw e;
    }
  }

  private void infer(RpcCall call, StreamSink sink, InferenceLog.Entry entry) {
    Stopwatch watch = entry.watch();
    Principal who = auth.authenticate(Credentials.fromJson(call.payload()), call.remote());
    watch.authDone();
    InferRequest request = InferRequest.fromJson(call.payload());
    String model = request.model();
    entry.caller(model, who.keyId());
    RateLimiter.Permit permit = admit(who, model, TokenEstimate.of(request), entry::rateLimited);
    watch.queueDone();
    boolean served = false;
    try (permit) {
      InferRequest forward = request.forProcessor(new Caller(who.userId(), who.keyId()));
      InferenceRelay.Outcome out = relay.relay(NetworkNames.modelTopic(model), forward, sink, call.cancel(), watch);
      Usage used = out.end().usage();
      permit.complete(used.totalTokens());
      Timings timings = watch.finish(out.end().timings(), out.processorMs());
      entry.served(out.processor().shortId(), out.attempts(), used, timings);
      served = true;
      // Recorded in memory before the end frame (so the client's next usage read sees it) unless that would wait.
      boolean recorded = usage.tryRecord(who.userId(), who.keyId(), true, used.promptTokens(), used.completionTokens());
      try {
        sink.end(out.end().relayed(out.processor().shortId(), out.attempts(), timings).toJson());
      } finally {
        if (!recorded) {
          usage.record(who.userId(), who.keyId(), true, used.promptTokens(), used.completionTokens());
        }
      }
    } catch (NetException e) {
      if (served) {
        throw e;
      }
      usage.record(who.userId(), who.keyId(), false, 0, 0);
      permit.complete(0);
      throw e;
    }
  }

  /**
   * Refuses a model not on the key's allowlist, then admits one request of {@code estimate} tokens; a refusal counts as
   * a failed request and is told to {@code onLimited}.
   */
  private RateLimiter.Permit admit(Principal who, String model, long estimate, Consumer<GatewayException> onLimited) {
    if (!who.mayUse(model)) {
      throw new NetException(GatewayException.Code.FORBIDDEN.wire(), "this API key may not use model '" + model + "'");
    }
    try {
      return limiter.admit(who.limitSubject(), who.userId(), who.limits(), estimate,
          usage.userToday(who.userId()).totalTokens());
    } catch (GatewayException e) {
      usage.record(who.userId(), who.keyId(), false, 0, 0);
      onLimited.accept(e);
      throw new NetException(e.wireCode(), e.getMessage(), Json.valueToTree(e.details()));
    }
  }

  private JsonNode embed(RpcCall call) {
    Stopwatch watch = new Stopwatch();
    Principal who = auth.authenticate(Credentials.fromJson(call.payload()), call.remote());
    watch.authDone();
    EmbedRequest request = EmbedRequest.fromJson(call.payload());
    RateLimiter.Permit permit = admit(who, request.model(), TokenEstimate.of(request), e -> { });
    watch.queueDone();
    try (permit) {
      EmbedRelay.Outcome out = embedRelay.relay(request.forProcessor(new Caller(who.userId(), who.keyId())),
          call.cancel(), watch);
      Usage used = out.reply().usage();
      usage.record(who.userId(), who.keyId(), true, used.promptTokens(), 0);
      permit.complete(used.promptTokens());
      return out.reply().relayed(out.processor().shortId(), out.attempts(),
          watch.finish(out.reply().timings(), out.processorMs())).toJson();
    } catch (NetException e) {
      usage.record(who.userId(), who.keyId(), false, 0, 0);
      permit.complete(0);
      throw e;
    }
  }

  private ModelsReply models() {
    Map<String, ModelSummary> byId = new TreeMap<>();
    for (var reply : net().topicRequestAll(PROCESSOR_TOPIC, NetworkNames.MODELS, Json.object()).join()) {
      if (reply.isOk()) {
        try {
          ServedModels.fromJson(reply.result()).models().forEach(m -> byId.computeIfAbsent(m.id(),
              id -> new ModelSummary()).add(m));
        } catch (NetException e) {
          log.warn("processor {} sent a malformed model list: {}", reply.peer(), e.getMessage());
        }
      }
    }
    List<ModelsReply.Model> list = new ArrayList<>();
    byId.forEach((id, m) -> list.add(m.toModel(id)));
    return new ModelsReply(list);
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
