package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.log.WorkerMdc;
import io.hyperinfer.worker.metrics.RpcMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server half of a net facility, independent of transport: handler registry, firewall, one virtual thread per
 * inbound call, error mapping (NetException crosses; anything else becomes ERR_INTERNAL and is logged here only),
 * cancellation, and the in-flight count that bounds a drain. Thread-safe.
 */
final class RpcDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(RpcDispatcher.class);

  private sealed interface Registration {}

  private record Unary(RequestHandler handler) implements Registration {}

  private record Async(AsyncRequestHandler handler) implements Registration {}

  private record Streaming(StreamHandler handler) implements Registration {}

  private final Map<String, Registration> handlers = new ConcurrentHashMap<>();
  private final Map<Long, Inbound> running = new ConcurrentHashMap<>();
  private final Object idle = new Object();
  private volatile Set<PeerRef> allowed;
  private volatile boolean accepting;
  private volatile WorkerContext ctx = new WorkerContext("worker", "none", "0");
  private volatile RpcMetrics metrics;

  private record Inbound(PeerRef from, CancelSignal cancel) {}

  void open(WorkerContext context, RpcMetrics rpcMetrics) {
    ctx = context;
    metrics = rpcMetrics;
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
    allowed = Set.copyOf(peers);
  }

  void allowAll() {
    allowed = null;
  }

  boolean isAllowed(PeerRef peer) {
    Set<PeerRef> a = allowed;
    return a == null || a.contains(peer);
  }

  /** Handles one request or stream open; every outcome leaves through {@code port}. */
  void dispatch(long id, PeerRef from, String method, byte[] payload, boolean stream, ReplyPort port) {
    long t0 = System.nanoTime();
    Inbound inbound = new Inbound(from, new CancelSignal());
    // Registered before the accepting check, so a concurrent drain either refuses this call or waits for it.
    running.put(id, inbound);
    NetException refusal = refusal(from, method, stream);
    if (refusal != null) {
      finished(id);
      record(method, refusal.code(), t0);
      port.error(Json.toBytes(refusal.toJson()));
      return;
    }
    Registration reg = handlers.get(method);
    Thread.ofVirtual().name("rpc-" + method).start(WorkerMdc.wrap(ctx, () -> {
      try {
        RpcCall call = new RpcCall(method, Json.parse(payload), from, inbound.cancel());
        switch (reg) {
          case Unary u -> finishUnary(method, port, t0, () -> u.handler().handle(call));
          case Async a -> finishUnary(method, port, t0, () -> a.handler().handle(call).get());
          case Streaming s -> runStream(s.handler(), call, port, t0);
        }
      } finally {
        finished(id);
      }
    }));
  }

  /** Runs a fire-and-forget event; errors are logged, never sent. */
  void dispatchEvent(PeerRef from, String method, byte[] payload) {
    if (!accepting || !isAllowed(from) || !(handlers.get(method) instanceof Unary u)) {
      return;
    }
    Thread.ofVirtual().name("event-" + method).start(WorkerMdc.wrap(ctx, () -> {
      long t0 = System.nanoTime();
      try {
        u.handler().handle(new RpcCall(method, Json.parse(payload), from, new CancelSignal()));
        record(method, "ok", t0);
      } catch (Exception e) {
        record(method, toRpc(method, e).code(), t0);
      }
    }));
  }

  void cancel(long id) {
    Inbound in = running.get(id);
    if (in != null) {
      in.cancel().cancel();
    }
  }

  /** Cancels every call from {@code peer}: its connection is gone. */
  void peerLost(PeerRef peer) {
    running.values().stream().filter(i -> i.from().equals(peer)).forEach(i -> i.cancel().cancel());
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

  /** Stops accepting and cancels what still runs. */
  void close() {
    accepting = false;
    running.values().forEach(i -> i.cancel().cancel());
  }

  int inFlight() {
    return running.size();
  }

  private NetException refusal(PeerRef from, String method, boolean stream) {
    if (!accepting) {
      return new NetException(NetException.ERR_PEER_UNAVAILABLE, "peer is stopping");
    }
    if (!isAllowed(from)) {
      return NetException.forbidden();
    }
    Registration reg = handlers.get(method);
    if (reg == null || (reg instanceof Streaming) != stream) {
      return NetException.unknownMethod(method);
    }
    return null;
  }

  private interface Body {
    JsonNode get() throws Exception;
  }

  private void finishUnary(String method, ReplyPort port, long t0, Body body) {
    try {
      JsonNode result = body.get();
      byte[] bytes = Json.toBytes(result == null ? NullNode.getInstance() : result);
      record(method, "ok", t0);
      port.result(bytes);
    } catch (Exception e) {
      NetException err = toRpc(method, e);
      record(method, err.code(), t0);
      port.error(Json.toBytes(err.toJson()));
    }
  }

  private void runStream(StreamHandler handler, RpcCall call, ReplyPort port, long t0) {
    ServerStream sink = new ServerStream(port, call.cancel());
    try {
      handler.handle(call, sink);
      sink.end(NullNode.getInstance());
      record(call.method(), "ok", t0);
    } catch (Exception e) {
      NetException err = toRpc(call.method(), e);
      sink.error(err);
      record(call.method(), err.code(), t0);
    }
  }

  /** Maps a handler failure to what may cross the wire. */
  static NetException toRpc(String method, Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof NetException rpc) {
      return rpc;
    }
    LOG.error("handler of '{}' failed", method, cause);
    return NetException.internal();
  }

  /** The NetException inside a failed future's error; ERR_INTERNAL for anything else. */
  static NetException unwrap(Throwable e) {
    Throwable cause = e;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause instanceof NetException rpc ? rpc : NetException.internal();
  }

  private void finished(long id) {
    running.remove(id);
    synchronized (idle) {
      idle.notifyAll();
    }
  }

  private void record(String method, String outcome, long t0) {
    RpcMetrics m = metrics;
    if (m != null) {
      m.server(method, outcome, Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  private static String checkMethod(String method) {
    if (method == null || method.isBlank()) {
      throw new IllegalArgumentException("method name must not be blank");
    }
    return method;
  }
}
