package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.InferChunk;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One streamed answer that moves to another gateway when the current one fails before the first token. Frames come
 * on network threads; attempts are chained from the failing callback. Thread-safe.
 */
final class FailoverStream implements InferCall {
  private final NetFacility net;
  private final GatewayFinder gateways;
  private final ObjectNode payload;
  private final TokenListener listener;
  private final CompletableFuture<Answer> done = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private final ToolCallAssembler toolCalls = new ToolCallAssembler();
  private final Set<PeerRef> tried = new HashSet<>();
  private volatile StreamCall current;
  private volatile boolean cancelled;
  private boolean started;
  private ClientException last;

  FailoverStream(NetFacility net, GatewayFinder gateways, ObjectNode payload, TokenListener listener) {
    this.net = net;
    this.gateways = gateways;
    this.payload = payload;
    this.listener = listener;
  }

  /** A call that failed before anything was sent (the request was not valid). */
  static InferCall failed(ClientException error) {
    CompletableFuture<Answer> done = CompletableFuture.failedFuture(error);
    return new InferCall() {
      @Override
      public void cancel() {}

      @Override
      public CompletableFuture<Answer> done() {
        return done;
      }
    };
  }

  FailoverStream start() {
    Thread.ofVirtual().name("client-stream").start(this::attempt);
    return this;
  }

  private void attempt() {
    try {
      next();
    } catch (RuntimeException e) {
      done.completeExceptionally(e instanceof ClientException ce ? ce
          : new ClientException("ERR_NO_GATEWAY", "the client's network is down: " + e.getMessage(), null));
    }
  }

  @Override
  public void cancel() {
    cancelled = true;
    StreamCall c = current;
    if (c != null) {
      c.cancel();
    }
    done.completeExceptionally(new ClientException(NetException.ERR_CANCELLED, "cancelled", null));
  }

  @Override
  public CompletableFuture<Answer> done() {
    return done;
  }

  private void next() {
    if (cancelled) {
      return;
    }
    PeerRef gateway = null;
    synchronized (this) {
      for (int round = 0; round < 2 && gateway == null; round++) {
        for (PeerRef g : gateways.candidates(round > 0)) {
          if (tried.add(g)) {
            gateway = g;
            break;
          }
        }
      }
    }
    if (gateway == null) {
      done.completeExceptionally(last != null ? last : ClientWorker.noGateway());
      return;
    }
    PeerRef target = gateway;
    current = net.requestStream(target.publicKey(), NetworkNames.INFER, payload, new StreamListener() {
      @Override
      public void onChunk(long seq, JsonNode chunk) {
        InferChunk c = InferChunk.fromJson(chunk);
        synchronized (FailoverStream.this) {
          started = true;
          if (c.toolCall() != null) {
            toolCalls.add(c.toolCall());
          } else {
            text.append(c.text());
          }
        }
        if (c.toolCall() != null) {
          listener.onToolCall(c.toolCall());
        } else {
          listener.onToken(c.text());
        }
      }

      @Override
      public void onEnd(JsonNode end) {
        gateways.answered(target);
        String all;
        java.util.List<io.hyperinfer.contract.infer.ToolCall> calls;
        synchronized (FailoverStream.this) {
          all = text.toString();
          calls = toolCalls.calls();
        }
        try {
          done.complete(Answer.of(all, calls, InferEnd.fromJson(end)));
        } catch (NetException e) {
          done.completeExceptionally(ClientWorker.toClient(e));
        }
      }

      @Override
      public void onError(NetException error) {
        ClientException ce = ClientWorker.toClient(error);
        boolean retry;
        synchronized (FailoverStream.this) {
          retry = !started && !cancelled && GatewayFinder.FAILOVER.contains(ce.code());
          last = ce;
        }
        if (retry) {
          gateways.failed(target);
          Thread.ofVirtual().start(FailoverStream.this::attempt);
        } else {
          done.completeExceptionally(ce);
        }
      }
    });
  }
}
