package io.hyperinfer.processor;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.InferChunk;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ProcessorStatus;
import io.hyperinfer.contract.infer.ServedModel;
import io.hyperinfer.contract.infer.ServedModels;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.Completion;
import io.hyperinfer.processor.engine.EngineFactory;
import io.hyperinfer.processor.engine.InferenceEngine;
import io.hyperinfer.processor.engine.ModelInfo;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.RpcCall;
import io.hyperinfer.worker.net.StreamSink;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves one engine's models to gateways. Announces {@value #MODEL_TOPIC_PREFIX}{@code <model>} per model and
 * {@value #PROCESSOR_TOPIC}; answers {@code infer} (streamed), {@code status} and {@code models}. Runs at most {@code
 * processor.concurrency} generations (default 2) with {@code processor.queue} waiting (default 8), refusing more with
 * ERR_BUSY. A cancelled stream (client gone, gateway gave up) cancels the engine; stopping cancels every generation
 * still running after the drain. {@code infer} is refused with ERR_FORBIDDEN to anyone not in {@code
 * processor.allowedGateways} (public keys, hex) or added by {@link #allowGateway}, unless {@code
 * processor.allowAnyCaller} is true (development only).
 */
public final class ProcessorWorker extends Worker {
  public static final String MODEL_TOPIC_PREFIX = NetworkNames.MODEL_TOPIC_PREFIX;
  public static final String PROCESSOR_TOPIC = NetworkNames.PROCESSOR_TOPIC;

  private final Set<String> allowedGateways = ConcurrentHashMap.newKeySet();
  private final Set<CancelSignal> active = ConcurrentHashMap.newKeySet();
  private volatile InferenceEngine engine;
  private volatile Admission admission;
  private volatile JobLog jobs;
  private volatile List<ModelInfo> models = List.of();
  private volatile boolean healthy = true;
  private volatile boolean allowAnyCaller;

  public ProcessorWorker(WorkerContext ctx, Config config, Facilities facilities) {
    super(ctx, config, facilities);
  }

  /** Lets {@code gatewayPublicKeyHex} call {@code infer}. */
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
    engine = EngineFactory.create(config().at("/processor/engine"));
    admission = new Admission(config().intValue("processor.concurrency", 2), config().intValue("processor.queue", 8));
    config().node("processor.allowedGateways", false).ifPresent(n -> n.forEach(k -> allowedGateways.add(k.asText())));
    allowAnyCaller = config().bool("processor.allowAnyCaller", false);
    if (allowAnyCaller) {
      log.warn("processor.allowAnyCaller is on: anyone can run inference here without a gateway's checks");
    }
    models = engine.models();
    jobs = new JobLog(store().core(JobLog.CORE), clock());
    net().respondStream(NetworkNames.INFER, this::infer);
    net().respond("jobs", this::recentJobs);
    net().respond(NetworkNames.STATUS, call -> status().toJson());
    net().respond(NetworkNames.MODELS, call -> new ServedModels(served()).toJson());
    for (ModelInfo m : models) {
      net().announce(NetworkNames.modelTopic(m.id())).join();
    }
    net().announce(PROCESSOR_TOPIC).join();
    log.info("serving {} model(s) on engine {}", models.size(), engine.kind());
  }

  @Override
  protected void onStop() {
    healthy = false;
    active.forEach(CancelSignal::cancel);
    InferenceEngine e = engine;
    if (e != null) {
      e.close();
    }
  }

  private void checkGateway(RpcCall call) {
    if (!allowAnyCaller && !allowedGateways.contains(call.remotePublicKeyHex())) {
      throw new NetException(NetException.ERR_FORBIDDEN,
          "only allowlisted gateways may call " + call.method() + " on a processor");
    }
  }

  private ObjectNode recentJobs(RpcCall call) {
    checkGateway(call);
    int limit = call.payload() == null ? 20 : call.payload().path("limit").asInt(20);
    ObjectNode out = Json.object().put("total", jobs.length());
    jobs.recent(limit).forEach(out.putArray("jobs")::add);
    return out;
  }

  private void infer(RpcCall call, StreamSink sink) {
    checkGateway(call);
    String gateway = call.remotePublicKeyHex();
    long received = System.nanoTime();
    CancelSignal cancel = new CancelSignal();
    call.cancel().onCancel(cancel::cancel);
    active.add(cancel);
    String model = call.payload() == null ? null : call.payload().path("model").asText(null);
    try {
      InferRequest request = InferRequest.fromJson(call.payload());
      if (models.stream().noneMatch(m -> m.id().equals(request.model()))) {
        throw ProcessorException.modelNotFound(request.model());
      }
      Admission.Slot slot = admission.acquire(cancel);
      if (slot == null) {
        jobs.ended(gateway, model, "cancelled", null);
        sink.error(NetException.cancelled());
        return;
      }
      try (slot) {
        long started = System.nanoTime();
        Completion c = engine.stream(request, text -> {
          if (!sink.next(new InferChunk(text).toJson())) {
            cancel.cancel();
          }
        }, cancel);
        if (Completion.CANCELLED.equals(c.finishReason())) {
          jobs.ended(gateway, model, "cancelled", null);
          sink.error(NetException.cancelled());
          return;
        }
        InferEnd end = InferEnd.fromProcessor(request.model(), c.finishReason(),
            new Usage(c.promptTokens(), c.completionTokens()), Timings.processor((started - received) / 1e6,
                c.ttftNanos() < 0 ? -1 : c.ttftNanos() / 1e6, (System.nanoTime() - started) / 1e6));
        ObjectNode json = end.toJson();
        jobs.completed(gateway, json);
        sink.end(json);
      }
    } catch (ProcessorException e) {
      jobs.ended(gateway, model, "failed", e.wireCode());
      sink.error(new NetException(e.wireCode(), e.getMessage()));
    } catch (NetException e) {
      jobs.ended(gateway, model, "failed", e.code());
      sink.error(e);
    } finally {
      active.remove(cancel);
    }
  }

  private ProcessorStatus status() {
    return new ProcessorStatus(engine.kind(), healthy, admission.inFlight(), admission.queued(),
        admission.concurrency(), admission.queueLimit(), served());
  }

  private List<ServedModel> served() {
    return models.stream().map(m -> new ServedModel(m.id(), m.engine())).toList();
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
