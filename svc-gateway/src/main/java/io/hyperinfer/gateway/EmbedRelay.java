package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.EmbedReply;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.gateway.routing.ProcessorRef;
import io.hyperinfer.gateway.routing.Router;
import io.hyperinfer.worker.net.CancelSignal;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Embeddings across the network: sends an {@link EmbedRequest} to a processor announcing the model, chosen by the
 * {@link Router} (its answer time is the latency signal), and retries another processor on failure, up to {@code
 * maxAttempts}; a caller's own fault ends the request at once. The client's cancel reaches the processor. Thread-safe.
 */
final class EmbedRelay {
  /** The processor's answer, who served it, after how many attempts, its time in ms. */
  record Outcome(EmbedReply reply, ProcessorRef processor, int attempts, double processorMs) {}

  private final NetFacility net;
  private final Router router;
  private final Duration timeout;
  private final int maxAttempts;

  EmbedRelay(NetFacility net, Router router, Duration timeout, int maxAttempts) {
    this.net = net;
    this.router = router;
    this.timeout = timeout;
    this.maxAttempts = maxAttempts;
  }

  Outcome relay(EmbedRequest request, CancelSignal clientCancel, Stopwatch watch) {
    String topic = NetworkNames.modelTopic(request.model());
    JsonNode payload = request.toJson();
    Set<ProcessorRef> tried = new HashSet<>();
    NetException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      ProcessorRef p = ProcessorCandidates.next(net, router, topic, attempt, tried, clientCancel, watch);
      if (p == null) {
        break;
      }
      long dispatched = System.nanoTime();
      CompletableFuture<JsonNode> call = net.request(p.publicKey(), NetworkNames.EMBED, payload,
          RequestOptions.timeout(timeout));
      clientCancel.onCancel(() -> call.cancel(true));
      try {
        EmbedReply reply = EmbedReply.fromJson(call.join());
        Duration took = Duration.ofNanos(System.nanoTime() - dispatched);
        router.onFirstToken(p, took);
        router.onDone(p, true);
        return new Outcome(reply, p, attempt, took.toNanos() / 1e6);
      } catch (CompletionException | CancellationException | NetException e) {
        NetException error = e instanceof NetException n ? n : e.getCause() instanceof NetException n ? n
            : clientCancel.isCancelled() ? NetException.cancelled() : NetException.internal();
        boolean callersFault = ProcessorCandidates.FINAL.contains(error.code());
        router.onDone(p, callersFault);
        if (callersFault) {
          throw error;
        }
        last = error;
        watch.restartPhase();
      }
    }
    throw ProcessorCandidates.exhausted(last);
  }
}
