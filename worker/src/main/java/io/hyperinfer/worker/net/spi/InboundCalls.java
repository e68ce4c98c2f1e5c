package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.log.WorkerMdc;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.AsyncRequestHandler;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestHandler;
import io.hyperinfer.worker.net.RpcCall;
import io.hyperinfer.worker.net.StreamHandler;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler's half of a net facility, over any {@link Transport}: handler registry, firewall (judging the key the
 * transport proved), admission (at most {@code maxInFlightPerPeer} calls per peer and {@code maxInFlight} in all, else
 * ERR_TOO_MANY_REQUESTS), one virtual thread per admitted call, a deadline on every call, stream cancel, and the
 * in-flight set that bounds a drain. Every way a handler can end, an Error included, produces exactly one reply:
 * NetException crosses as it is, anything else as ERR_INTERNAL and is logged here only. Thread-safe.
 */
final class InboundCalls {
  private static final Logger LOG = LoggerFactory.getLogger(InboundCalls.class);

  private sealed interface Registration {}

  private record Unary(RequestHandler handler) implements Registration {}

  private record Async(AsyncRequestHandler handler) implements Registration {}

  private record Streaming(StreamHandler handler) implements Registration {}

  /** What a unary handler computes. */
  private interface Body {
    JsonNode run(RpcCall call) throws Exception;
  }

  private static final Runnable NO_REPLY = () -> { };

  private final Map<String, Registration> handlers = new ConcurrentHashMap<>();
  private final Set<RunningCall> running = ConcurrentHashMap.newKeySet();
  private final Map<RunningCall.StreamKey, RunningCall> streams = new ConcurrentHashMap<>();
  private final InFlightLimits limits = new InFlightLimits();
  private final Object idle = new Object();
  private final Scheduler scheduler;
  private volatile Predicate<PeerRef> allowed;
  private volatile boolean accepting;
  private volatile NetSettings settings = NetSettings.DEFAULT;
  private volatile WorkerContext ctx = new WorkerContext("worker", "none", "0");
  private volatile RpcMetrics metrics;
  private volatile RequestLog requestLog = new RequestLog(false);

  InboundCalls(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  void open(WorkerContext context, RpcMetrics rpcMetrics, NetSettings netSettings, RequestLog log) {
    ctx = context;
    metrics = rpcMetrics;
    settings = netSettings;
    requestLog = log;
    accepting = true;
  }

  void respond(String method, RequestHandler h) {
    handlers.put(checkMethod(method), new Unary(h));
  }

  void respondAsync(String method, AsyncRequestHandler h) {
    handlers.put(checkMethod(method), new Async(h));
  }

  void respondStream(String method, StreamHandler h) {
    handlers.put(checkMethod(method), new Streaming(h));
  }

  void allowOnly(Set<PeerRef> peers) {
    Set<PeerRef> copy = Set.copyOf(peers);
    allowed = copy::contains;
  }

  void allowOnly(Predicate<PeerRef> admits) {
    allowed = Objects.requireNonNull(admits, "admits");
  }

  void allowAll() {
    allowed = null;
  }

  boolean isAllowed(PeerRef peer) {
    Predicate<PeerRef> a = allowed;
    return a == null || a.test(peer);
  }

  /** Handles one request or stream open; every outcome leaves through {@code ex}, exactly once. */
  void dispatch(Transport.Exchange ex) {
    long t0 = System.nanoTime();
    String method = ex.method();
    Registration reg = handlers.get(method);
    RunningCall call = new RunningCall(ex.remote(), method, ex::connectionOpen);
    // Registered before the accepting check, so a concurrent drain either refuses this call or waits for it.
    running.add(call);
    NetException refusal = refusal(call, reg);
    if (refusal == null && reg instanceof Streaming) {
      refusal = openStream(call, ex);
    }
    if (refusal != null) {
      finished(call);
      NetException refused = refusal;
      record(call, refused.code(), t0, () -> ex.fail(refused));
      return;
    }
    switch (reg) {
      case Unary u -> runUnary(call, ex, t0, u.handler()::handle);
      case Async a -> runUnary(call, ex, t0, c -> a.handler().handle(c).get());
      case Streaming s -> runStream(call, s.handler(), t0);
    }
  }

  /** Runs a fire-and-forget event; refused, unknown or failed events are counted, never answered. */
  void dispatchEvent(PeerRef from, String method, byte[] payload) {
    Registration reg = handlers.get(method);
    RunningCall call = new RunningCall(from, method);
    running.add(call);
    if (!(reg instanceof Unary u) || refusal(call, reg) != null) {
      finished(call);
      metrics.dropped(method);
      return;
    }
    call.arm(scheduler.schedule(settings.handlerTimeout(), () -> call.end(NetException.timeout(method))), e -> { });
    start(call, () -> {
      long t0 = System.nanoTime();
      try {
        u.handler().handle(new RpcCall(method, parse(payload), from, call.cancel()));
        record(call, "ok", t0, NO_REPLY);
      } catch (Throwable e) {
        record(call, toNet(method, e).code(), t0, NO_REPLY);
      }
    });
  }

  /** A cancel event: ends the stream {@code from} opened with that id, if it still runs. */
  void cancel(PeerRef from, byte[] payload) {
    StreamFrame.Cancel cancel;
    try {
      cancel = StreamFrames.cancel(payload);
    } catch (NetException e) {
      metrics.dropped(StreamFrames.CANCEL);
      return;
    }
    RunningCall call = streams.get(new RunningCall.StreamKey(from, cancel.stream()));
    if (call != null) {
      call.end(NetException.cancelled());
    }
  }

  /**
   * Ends every call from {@code peer}: its connection is gone. A request that came on a connection still open is a
   * restarted caller's, reached us after the loss was decided, and keeps running (Transport.Exchange#connectionOpen).
   */
  void peerLost(PeerRef peer) {
    NetException lost = NetException.connectionLost(peer.hex());
    running.stream().filter(c -> c.lostWith(peer)).forEach(c -> c.end(lost));
  }

  /** Stops accepting; waits up to {@code timeout} for running calls; true when none is left. */
  boolean drain(Duration timeout) {
    accepting = false;
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (idle) {
      while (!running.isEmpty()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          idle.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  /** Stops accepting and ends what still runs with ERR_PEER_UNAVAILABLE. */
  void close() {
    accepting = false;
    NetException stopping = stopping();
    running.forEach(c -> c.end(stopping));
  }

  int inFlight() {
    return running.size();
  }

  private NetException refusal(RunningCall call, Registration reg) {
    if (!accepting) {
      return stopping();
    }
    if (!isAllowed(call.from())) {
      return NetException.forbidden();
    }
    if (reg == null) {
      return NetException.unknownMethod(call.method());
    }
    return limits.admit(call, settings);
  }

  /** Decodes the open frame and claims its stream id; the refusal, or null when the stream may run. */
  private NetException openStream(RunningCall call, Transport.Exchange ex) {
    StreamFrame.Open open;
    try {
      open = StreamFrames.open(ex.payload());
    } catch (NetException e) {
      return e;
    }
    RunningCall.StreamKey key = new RunningCall.StreamKey(call.from(), open.stream());
    if (streams.putIfAbsent(key, call) != null) {
      return NetException.badRequest("stream " + open.stream() + " is already open");
    }
    // the handler's own end (or error) frees the slot before the frame leaves, as a unary reply does; a deadline or
    // cancel that closes the stream does not: that slot is kept until the handler returns
    ServerStream sink = new ServerStream(open.stream(), ex, call.cancel(), () -> limits.release(call));
    Duration limit = settings.streamTimeout();
    if (open.timeoutMs() > 0 && open.timeoutMs() < limit.toMillis()) {
      limit = Duration.ofMillis(open.timeoutMs());
    }
    call.openStream(key, open.payload(), sink);
    call.arm(scheduler.schedule(limit, () -> call.end(NetException.timeout(call.method()))), sink::close);
    return null;
  }

  private void runUnary(RunningCall call, Transport.Exchange ex, long t0, Body body) {
    AtomicBoolean replied = new AtomicBoolean();
    String method = call.method();
    call.arm(scheduler.schedule(settings.handlerTimeout(), () -> call.end(NetException.timeout(method))), e -> {
      if (replied.compareAndSet(false, true)) {
        record(call, e.code(), t0, () -> ex.fail(e));
      }
    });
    start(call, () -> {
      try {
        JsonNode result = body.run(new RpcCall(method, parse(ex.payload()), call.from(), call.cancel()));
        byte[] bytes = Json.toBytes(result == null ? NullNode.getInstance() : result);
        if (replied.compareAndSet(false, true)) {
          // the handler is done: its slot is free before the reply leaves, so a caller that sends its next call as
          // soon as it has this reply is not refused for a call that only looks running (a timed-out call keeps its
          // slot until its handler returns)
          limits.release(call);
          record(call, "ok", t0, () -> ex.respond(bytes));
        }
      } catch (Throwable e) {
        NetException err = toNet(method, e);
        if (replied.compareAndSet(false, true)) {
          limits.release(call);
          record(call, err.code(), t0, () -> ex.fail(err));
        }
      }
    });
  }

  private void runStream(RunningCall call, StreamHandler handler, long t0) {
    ServerStream sink = call.sink();
    start(call, () -> {
      try {
        handler.handle(new RpcCall(call.method(), call.streamPayload(), call.from(), call.cancel()), sink);
        sink.end(NullNode.getInstance());
        record(call, call.cancel().isCancelled() ? NetException.ERR_CANCELLED : "ok", t0, NO_REPLY);
      } catch (Throwable e) {
        NetException err = toNet(call.method(), e);
        sink.error(err);
        record(call, err.code(), t0, NO_REPLY);
      }
    });
  }

  /** Runs {@code work} on the call's own virtual thread and forgets the call when it returns, however it returns. */
  private void start(RunningCall call, Runnable work) {
    Runnable body = WorkerMdc.wrap(ctx, () -> {
      try {
        work.run();
      } finally {
        finished(call);
      }
    });
    try {
      Thread.ofVirtual().name("rpc-" + call.method()).start(body);
    } catch (Throwable e) {
      LOG.error("could not start a thread for '{}'", call.method(), e);
      call.end(NetException.internal());
      finished(call);
    }
  }

  /** Maps a handler failure to what may cross the wire. */
  static NetException toNet(String method, Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof NetException net) {
      return net;
    }
    LOG.error("handler of '{}' failed", method, cause);
    return NetException.internal();
  }

  private static JsonNode parse(byte[] payload) {
    if (payload == null || payload.length == 0) {
      return NullNode.getInstance();
    }
    try {
      return Json.parse(payload);
    } catch (IllegalArgumentException e) {
      throw NetException.badRequest("the payload is not JSON");
    }
  }

  private void finished(RunningCall call) {
    if (running.remove(call)) {
      call.disarm();
      if (call.streamKey() != null) {
        streams.remove(call.streamKey(), call);
      }
      limits.release(call);
    }
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  /**
   * Ends one call: its meter sample, then {@code reply}, then its request line, so the meter is there before the
   * caller has the reply and writing the line never delays it.
   */
  private void record(RunningCall call, String outcome, long t0, Runnable reply) {
    long took = System.nanoTime() - t0;
    metrics.server(call.method(), outcome, Duration.ofNanos(took));
    reply.run();
    requestLog.log(call.method(), call.from(), outcome, took);
  }

  private static NetException stopping() {
    return new NetException(NetException.ERR_PEER_UNAVAILABLE, "peer is stopping");
  }

  private static String checkMethod(String method) {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("method name must not be blank");
    }
    if (StreamFrames.isFrameMethod(method)) {
      throw new IllegalArgumentException("'" + method + "' is reserved for stream frames");
    }
    return method;
  }
}
