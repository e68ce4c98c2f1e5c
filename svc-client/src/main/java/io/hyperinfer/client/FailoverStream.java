package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.InferChunk;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One streamed answer that moves to another gateway when the current one fails before the first token, or sends no
 * frame at all within the first-reply deadline while another gateway is left to try: that attempt is cancelled (the
 * gateway, if it hears it, cancels its processor), its late frames are ignored, and the gateway is marked failed. So
 * at most one attempt runs at a time and no token reaches the listener twice. Frames come on network threads;
 * attempts are chained from the failing callback or the deadline's timer. The first attempt's lookup that finds no
 * gateway is repeated while {@code client.gatewayWait} lasts ({@link GatewayWait}). Thread-safe.
 */
final class FailoverStream implements InferCall {
  private final NetFacility net;
  private final GatewayFinder gateways;
  private final ObjectNode payload;
  private final TokenListener listener;
  private final FirstReplyDeadline deadline;
  private final Executor attempts;
  private final CompletableFuture<Answer> done = new CompletableFuture<>();
  private final StringBuilder text = new StringBuilder();
  private final ToolCallAssembler toolCalls = new ToolCallAssembler();
  private final Set<PeerRef> tried = new HashSet<>();
  private volatile StreamCall current;
  private volatile boolean cancelled;
  private boolean started;
  private ClientException last;

  FailoverStream(NetFacility net, GatewayFinder gateways, ObjectNode payload, TokenListener listener,
      FirstReplyDeadline deadline) {
    this(net, gateways, payload, listener, deadline, r -> Thread.ofVirtual().name("client-stream").start(r));
  }

  /** As above, each attempt started on {@code attempts} (a direct executor in tests). */
  FailoverStream(NetFacility net, GatewayFinder gateways, ObjectNode payload, TokenListener listener,
      FirstReplyDeadline deadline, Executor attempts) {
    this.net = net;
    this.gateways = gateways;
    this.payload = payload;
    this.listener = listener;
    this.deadline = deadline;
    this.attempts = attempts;
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
    attempts.execute(this::attempt);
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
    boolean another = false;
    synchronized (this) {
      for (int round = 0; round < 2 && gateway == null; round++) {
        List<PeerRef> found = round == 0 && tried.isEmpty() ? gateways.firstCandidates(false)
            : gateways.candidates(round > 0);
        for (PeerRef g : found) {
          if (gateway == null && tried.add(g)) {
            gateway = g;
          } else if (gateway != null && !tried.contains(g)) {
            another = true;
          }
        }
      }
    }
    if (gateway == null) {
      done.completeExceptionally(last != null ? last : ClientWorker.noGateway());
      return;
    }
    Attempt a = new Attempt(gateway);
    StreamCall call = net.requestStream(gateway.publicKey(), NetworkNames.INFER, payload, a);
    current = call;
    if (cancelled) {
      call.cancel();
      return;
    }
    if (another) {
      a.timer = deadline.start(() -> a.abandonUnlessReplied(call));
    }
  }

  /** One stream to one gateway; after it is abandoned, whatever it still delivers is dropped. */
  private final class Attempt implements StreamListener {
    private static final int WAITING = 0;
    private static final int REPLIED = 1;
    private static final int ABANDONED = 2;
    private final PeerRef gateway;
    private final AtomicInteger state = new AtomicInteger(WAITING);
    private volatile Runnable timer = () -> { };

    Attempt(PeerRef gateway) {
      this.gateway = gateway;
    }

    /** The first-reply deadline passed: unless a frame came first, cancel this attempt and try the next gateway. */
    void abandonUnlessReplied(StreamCall call) {
      if (cancelled || !state.compareAndSet(WAITING, ABANDONED)) {
        return;
      }
      call.cancel();
      gateways.failed(gateway);
      synchronized (FailoverStream.this) {
        last = new ClientException(NetException.ERR_TIMEOUT, "no reply from gateway " + gateway.hex().substring(0, 8)
            + " within " + deadline.timeout().toMillis() + " ms", null);
      }
      deadline.abandoned();
      attempts.execute(FailoverStream.this::attempt);
    }

    /** True while this attempt's frames count: the first frame wins against the deadline. */
    private boolean live() {
      if (state.compareAndSet(WAITING, REPLIED)) {
        timer.run();
        return true;
      }
      return state.get() == REPLIED;
    }

    @Override
    public void onChunk(long seq, JsonNode chunk) {
      if (!live()) {
        return;
      }
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
      if (!live()) {
        return;
      }
      gateways.answered(gateway);
      String all;
      List<ToolCall> calls;
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
      if (!live()) {
        return;
      }
      ClientException ce = ClientWorker.toClient(error);
      boolean retry;
      synchronized (FailoverStream.this) {
        retry = !started && !cancelled && GatewayFinder.FAILOVER.contains(ce.code());
        last = ce;
      }
      if (retry) {
        gateways.failed(gateway);
        attempts.execute(FailoverStream.this::attempt);
      } else {
        done.completeExceptionally(ce);
      }
    }
  }
}
