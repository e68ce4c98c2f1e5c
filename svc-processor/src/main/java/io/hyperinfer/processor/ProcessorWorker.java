package io.hyperinfer.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.EmbedReply;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.contract.infer.InferChunk;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ProcessorStatus;
import io.hyperinfer.contract.infer.ServedModel;
import io.hyperinfer.contract.infer.ServedModels;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.network.Role;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.Completion;
import io.hyperinfer.processor.engine.EmbeddingEngine;
import io.hyperinfer.processor.engine.Embeddings;
import io.hyperinfer.processor.engine.EngineFactory;
import io.hyperinfer.processor.engine.EngineSet;
import io.hyperinfer.processor.engine.Feature;
import io.hyperinfer.processor.engine.InferenceEngine;
import io.hyperinfer.processor.engine.ModelInfo;
import io.hyperinfer.processor.engine.TokenSink;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerPolicy;
import io.hyperinfer.worker.net.RpcCall;
import io.hyperinfer.worker.net.StreamSink;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves its engines' models to gateways: one generating engine ({@code processor.engine}) and optionally one embedding
 * engine ({@code processor.embedding}). Announces {@value #MODEL_TOPIC_PREFIX}{@code <model>} per model and {@value
 * #PROCESSOR_TOPIC}; answers {@code infer} (streamed), {@code embed}, {@code status} and {@code models}. A request
 * asking for something its model cannot do is refused with ERR_UNSUPPORTED naming the parameter. Runs at most {@code
 * processor.concurrency} generations or embedding calls (default 2) with {@code processor.queue} waiting (default 8),
 * refusing more with ERR_BUSY. A cancelled call (client gone, gateway gave up) cancels the engine; stopping cancels
 * every one still running after the drain. {@code infer} and {@code embed} are refused with ERR_FORBIDDEN to anyone not
 * in {@code processor.allowedGateways} (public keys, hex) or added by {@link #allowGateway}, unless {@code
 * processor.allowAnyCaller} is true (development only). Inside a network ({@code network.key}) the roster alone decides:
 * only its gateways may call them, whatever the allowlist says.
 */
public final class ProcessorWorker extends Worker {
  public static final String MODEL_TOPIC_PREFIX = NetworkNames.MODEL_TOPIC_PREFIX;
  public static final String PROCESSOR_TOPIC = NetworkNames.PROCESSOR_TOPIC;

  private final Set<String> allowedGateways = ConcurrentHashMap.newKeySet();
  private final Set<CancelSignal> active = ConcurrentHashMap.newKeySet();
  private volatile EngineSet engines;
  private volatile Admission admission;
  private volatile JobLog jobs;
  private volatile List<ModelInfo> models = List.of();
  private volatile boolean healthy = true;
  private volatile boolean allowAnyCaller;

  public ProcessorWorker(WorkerContext ctx, Config config, Facilities facilities) {
    super(ctx, config, facilities);
  }

  /** Lets {@code gatewayPublicKeyHex} call {@code infer} and {@code embed}. */
  public void allowGateway(String gatewayPublicKeyHex) {
    allowedGateways.add(gatewayPublicKeyHex);
  }

  @Override
  protected void validateConfig(Config cfg) {
    cfg.intValue("processor.concurrency", 2);
    cfg.intValue("processor.queue", 8);
  }

  @Override
  protected void onStart() {
    InferenceEngine generation = EngineFactory.create(config().at("/processor/engine"), System::getenv);
    try {
      engines = new EngineSet(generation, EngineFactory.createEmbedding(config().at("/processor/embedding"),
          System::getenv));
    } catch (RuntimeException e) {
      generation.close();
      throw e;
    }
    admission = new Admission(config().intValue("processor.concurrency", 2), config().intValue("processor.queue", 8));
    config().node("processor.allowedGateways", false).ifPresent(n -> n.forEach(k -> allowedGateways.add(k.asText())));
    allowAnyCaller = config().bool("processor.allowAnyCaller", false) && !peerPolicy().enforced();
    NetworkNames.trustRoster(net(), peerPolicy());
    if (allowAnyCaller) {
      log.warn("processor.allowAnyCaller is on: anyone can run inference here without a gateway's checks");
    }
    models = engines.models();
    jobs = new JobLog(store().core(JobLog.CORE), clock());
    net().respondStream(NetworkNames.INFER, this::infer);
    net().respond(NetworkNames.EMBED, this::embed);
    net().respond("jobs", this::recentJobs);
    net().respond(NetworkNames.STATUS, call -> status().toJson());
    net().respond(NetworkNames.MODELS, call -> new ServedModels(served()).toJson());
    for (ModelInfo m : models) {
      net().announce(NetworkNames.modelTopic(m.id())).join();
    }
    net().announce(PROCESSOR_TOPIC).join();
    log.info("serving {} model(s) on engine {}", models.size(), engines.kind());
  }

  @Override
  protected void onStop() {
    healthy = false;
    active.forEach(CancelSignal::cancel);
    EngineSet e = engines;
    if (e != null) {
      e.close();
    }
  }

  private void checkGateway(RpcCall call) {
    PeerPolicy policy = peerPolicy();
    boolean allowed = policy.enforced() ? policy.admits(call.remote(), Role.GATEWAY)
        : allowAnyCaller || allowedGateways.contains(call.remotePublicKeyHex());
    if (!allowed) {
      throw new NetException(NetException.ERR_FORBIDDEN, (policy.enforced() ? "only the network's gateways"
          : "only allowlisted gateways") + " may call " + call.method() + " on a processor");
    }
  }

  private ObjectNode recentJobs(RpcCall call) {
    checkGateway(call);
    int limit = call.payload() == null ? 20 : call.payload().path("limit").asInt(20);
    ObjectNode out = Json.object().put("total", jobs.length());
    jobs.recent(limit).forEach(out.putArray("jobs")::add);
    return out;
  }

  /**
   * One call's bookkeeping: who asked (the gateway's key), for which model, when it arrived, and its cancel signal
   * (fired by the caller's cancel and by stopping the worker) until {@link #close}.
   */
  private final class Job implements AutoCloseable {
    final String gateway;
    final String model;
    final long received = System.nanoTime();
    final CancelSignal cancel = new CancelSignal();

    Job(RpcCall call) {
      checkGateway(call);
      gateway = call.remotePublicKeyHex();
      model = call.payload() == null ? null : call.payload().path("model").asText(null);
      call.cancel().onCancel(cancel::cancel);
      active.add(cancel);
    }

    void failed(String code) {
      jobs.ended(gateway, model, "failed", code);
    }

    void cancelled() {
      jobs.ended(gateway, model, "cancelled", null);
    }

    @Override
    public void close() {
      active.remove(cancel);
    }
  }

  private void infer(RpcCall call, StreamSink sink) {
    try (Job job = new Job(call)) {
      try {
        infer(job, InferRequest.fromJson(call.payload()), sink);
      } catch (ProcessorException e) {
        job.failed(e.wireCode());
        sink.error(toNet(e));
      } catch (NetException e) {
        job.failed(e.code());
        sink.error(e);
      }
    }
  }

  private void infer(Job job, InferRequest request, StreamSink sink) {
    InferenceEngine engine = engines.generationFor(request);
    Admission.Slot slot = admission.acquire(job.cancel);
    if (slot == null) {
      job.cancelled();
      sink.error(NetException.cancelled());
      return;
    }
    try (slot) {
      long started = System.nanoTime();
      Completion c = engine.stream(request, new TokenSink() {
        @Override
        public void token(String text) {
          forward(sink, new InferChunk(text), job.cancel);
        }

        @Override
        public void toolCall(ToolCall piece) {
          forward(sink, InferChunk.of(piece), job.cancel);
        }
      }, job.cancel);
      if (Completion.CANCELLED.equals(c.finishReason())) {
        job.cancelled();
        sink.error(NetException.cancelled());
        return;
      }
      InferEnd end = InferEnd.fromProcessor(request.model(), c.finishReason(),
          new Usage(c.promptTokens(), c.completionTokens()), Timings.processor((started - job.received) / 1e6,
              c.ttftNanos() < 0 ? -1 : c.ttftNanos() / 1e6, (System.nanoTime() - started) / 1e6));
      ObjectNode json = end.toJson();
      jobs.completed(job.gateway, json);
      sink.end(json);
    }
  }

  private static void forward(StreamSink sink, InferChunk chunk, CancelSignal cancel) {
    if (!sink.next(chunk.toJson())) {
      cancel.cancel();
    }
  }

  private JsonNode embed(RpcCall call) {
    try (Job job = new Job(call)) {
      try {
        return embed(job, EmbedRequest.fromJson(call.payload()));
      } catch (ProcessorException e) {
        job.failed(e.wireCode());
        throw toNet(e);
      } catch (NetException e) {
        if (NetException.ERR_CANCELLED.equals(e.code())) {
          job.cancelled();
        } else {
          job.failed(e.code());
        }
        throw e;
      }
    }
  }

  private JsonNode embed(Job job, EmbedRequest request) {
    EmbeddingEngine engine = engines.embeddingFor(request.model());
    Admission.Slot slot = admission.acquire(job.cancel);
    if (slot == null) {
      throw NetException.cancelled();
    }
    try (slot) {
      long started = System.nanoTime();
      Embeddings e = engine.embed(request, job.cancel);
      if (job.cancel.isCancelled()) {
        throw NetException.cancelled();
      }
      EmbedReply reply = EmbedReply.fromProcessor(request.model(), e.vectors(), e.promptTokens(),
          Timings.processor((started - job.received) / 1e6, -1, (System.nanoTime() - started) / 1e6));
      ObjectNode logged = reply.toJson();
      logged.remove("vectors");
      jobs.completed(job.gateway, logged);
      return reply.toJson();
    }
  }

  private static NetException toNet(ProcessorException e) {
    ObjectNode details = Json.object();
    if (e.param() != null) {
      details.put("param", e.param());
    }
    return new NetException(e.wireCode(), e.getMessage(), details);
  }

  private ProcessorStatus status() {
    return new ProcessorStatus(engines.kind(), healthy, admission.inFlight(), admission.queued(),
        admission.concurrency(), admission.queueLimit(), served());
  }

  private List<ServedModel> served() {
    return models.stream().map(m -> new ServedModel(m.id(), m.engine(),
        Arrays.stream(Feature.values()).filter(m::can).map(Feature::wire).toList(), m.created())).toList();
  }

  /** This processor's network public key (what gateways address it by). */
  public byte[] publicKey() {
    return net().publicKey();
  }

  /** For the launcher: the models this processor announces. */
  public List<String> modelIds() {
    return models.stream().map(ModelInfo::id).toList();
  }
}
