package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.gateway.routing.ProcessorRef;
import io.hyperinfer.gateway.routing.Router;
import io.hyperinfer.worker.net.CancelSignal;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import io.hyperinfer.worker.net.StreamSink;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Streams one request from a processor to the client: finds processors by model topic, lets the {@link Router} pick,
 * forwards chunks as they come, and retries on another processor when an attempt fails or stays silent past the
 * first-token timeout before any chunk was forwarded. Once a chunk reached the client, a failure ends the stream with
 * an error frame (the client already holds partial text), and so does silence past the idle timeout between chunks: a
 * processor that died without closing its connection (SIGKILL, a pulled cable) is otherwise only noticed when the
 * transport gives the connection up, a minute or more later. The client's cancel reaches the processor. Thread-safe.
 */
final class InferenceRelay {
  /** The settled stream: the processor's end frame, who served it, after how many attempts, its time in ms. */
  record Outcome(InferEnd end, ProcessorRef processor, int attempts, double processorMs) {}

  private final NetFacility net;
  private final Router router;
  private final Duration firstTokenTimeout;
  private final Duration idleTimeout;
  private final Duration requestTimeout;
  private final int maxAttempts;

  InferenceRelay(NetFacility net, Router router, Duration firstTokenTimeout, Duration idleTimeout,
      Duration requestTimeout, int maxAttempts) {
    this.net = net;
    this.router = router;
    this.firstTokenTimeout = firstTokenTimeout;
    this.idleTimeout = idleTimeout;
    this.requestTimeout = requestTimeout;
    this.maxAttempts = maxAttempts;
  }

  Outcome relay(String topic, InferRequest request, StreamSink client, CancelSignal clientCancel, Stopwatch watch) {
    ObjectNode payload = request.toJson();
    Set<ProcessorRef> tried = new HashSet<>();
    NetException last = null;
    for (int attempt = 1; attempt <= maxAttempts; attempt++) {
      ProcessorRef p = ProcessorCandidates.next(net, router, topic, attempt, tried, clientCancel, watch);
      if (p == null) {
        break;
      }
      Attempt a = new Attempt(p, client);
      StreamCall call = net.requestStream(p.publicKey(), NetworkNames.INFER, payload, a,
          RequestOptions.timeout(requestTimeout));
      a.call = call;
      clientCancel.onCancel(call::cancel);
      try {
        return new Outcome(a.await(), p, attempt, (System.nanoTime() - a.dispatched) / 1e6);
      } catch (Retry r) {
        last = r.cause;
        watch.restartPhase();
      }
    }
    throw ProcessorCandidates.exhausted(last);
  }

  /** An attempt that failed before its first chunk: try another processor. */
  private static final class Retry extends Exception {
    final NetException cause;

    Retry(NetException cause) {
      super(null, null, false, false);
      this.cause = cause;
    }
  }

  /** One dispatch to one processor; listener callbacks arrive on network threads. */
  private final class Attempt implements StreamListener {
    final ProcessorRef processor;
    final StreamSink client;
    final CompletableFuture<Void> firstChunk = new CompletableFuture<>();
    final CompletableFuture<InferEnd> done = new CompletableFuture<>();
    volatile StreamCall call;
    final long dispatched = System.nanoTime();
    volatile long lastChunk = dispatched;

    Attempt(ProcessorRef processor, StreamSink client) {
      this.processor = processor;
      this.client = client;
    }

    @Override
    public void onChunk(long seq, JsonNode chunk) {
      lastChunk = System.nanoTime();
      if (firstChunk.complete(null)) {
        router.onFirstToken(processor, Duration.ofNanos(System.nanoTime() - dispatched));
      }
      if (!client.next(chunk) && call != null) {
        call.cancel();
      }
    }

    @Override
    public void onEnd(JsonNode last) {
      try {
        done.complete(InferEnd.fromJson(last));
      } catch (NetException e) {
        done.completeExceptionally(NetException.badFrame("the processor's end frame: " + e.getMessage()));
      }
      firstChunk.complete(null);
    }

    @Override
    public void onError(NetException error) {
      done.completeExceptionally(error);
      firstChunk.completeExceptionally(error);
    }

    InferEnd await() throws Retry {
      try {
        firstChunk.get(firstTokenTimeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        call.cancel();
        router.onDone(processor, false);
        throw new Retry(NetException.timeout("infer (first token)"));
      } catch (ExecutionException e) {
        NetException error = asRpc(e.getCause());
        // the caller's own fault (a bad or unsupported request, a cancel) says nothing against the processor
        router.onDone(processor, ProcessorCandidates.FINAL.contains(error.code()));
        if (ProcessorCandidates.FINAL.contains(error.code())) {
          throw error;
        }
        throw new Retry(error);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.cancel();
        router.onDone(processor, true);
        throw NetException.cancelled();
      }
      try {
        InferEnd end = awaitEnd(this);
        router.onDone(processor, true);
        return end;
      } catch (TimeoutException e) {
        call.cancel();
        router.onDone(processor, false);
        throw NetException.timeout("infer (no chunk from the processor for " + idleTimeout.toMillis() + " ms)");
      } catch (ExecutionException e) {
        NetException error = asRpc(e.getCause());
        router.onDone(processor, NetException.ERR_CANCELLED.equals(error.code()));
        throw error;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.cancel();
        router.onDone(processor, true);
        throw NetException.cancelled();
      }
    }
  }

  /** The end frame, waiting at most the idle timeout after each chunk. */
  private InferEnd awaitEnd(Attempt a) throws ExecutionException, InterruptedException, TimeoutException {
    while (true) {
      long left = idleTimeout.toNanos() - (System.nanoTime() - a.lastChunk);
      if (left <= 0) {
        throw new TimeoutException();
      }
      try {
        return a.done.get(left, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        // a chunk may have come meanwhile: measure again
      }
    }
  }

  private static NetException asRpc(Throwable t) {
    return t instanceof NetException r ? r : NetException.internal();
  }
}
