package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.metrics.RpcMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The client half of a {@link MemoryNetFacility}: pending requests and streams by id, their timeouts, the set of peers
 * this worker has a connection with, and failing everything owed by a peer whose connection is lost. Thread-safe.
 */
final class OutboundCalls {
  private record Pending(PeerRef peer, String method, CompletableFuture<JsonNode> future, Runnable cancelTimer) {}

  private record OpenStream(PeerRef peer, ClientStream stream, Runnable cancelTimer) {}

  /** Frame number of a cancel in the network's per-frame fault draws (chunks use 0.., the end/error frame -2). */
  static final long CANCEL_FRAME = -3;
  private static final Runnable NO_TIMER = () -> {};

  private final MemoryNetwork network;
  private final Supplier<PeerRef> self;
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Long, OpenStream> streams = new ConcurrentHashMap<>();
  private final Set<PeerRef> connected = ConcurrentHashMap.newKeySet();
  private volatile RpcMetrics metrics;

  OutboundCalls(MemoryNetwork network, Supplier<PeerRef> self) {
    this.network = network;
    this.self = self;
  }

  void open(RpcMetrics rpcMetrics) {
    metrics = rpcMetrics;
  }

  CompletableFuture<JsonNode> request(PeerRef peer, String method, JsonNode payload, RequestOptions options) {
    PeerRef me = self.get();
    long id = network.nextId();
    byte[] body = MemoryNetFacility.bytes(payload);
    long t0 = System.nanoTime();
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    future.whenComplete((ok, err) -> metrics.client(method, err == null ? "ok" : RpcDispatcher.unwrap(err).code(),
        Duration.ofNanos(System.nanoTime() - t0)));
    touch(peer);
    pending.put(id, new Pending(peer, method, future, NO_TIMER));
    Runnable timer = network.scheduler().schedule(options.timeout(), () -> timedOut(id));
    if (pending.computeIfPresent(id, (k, p) -> new Pending(peer, method, future, timer)) == null) {
      timer.run();
    }
    network.sendRequest(me, peer, id, f -> f.receive(id, me, method, body, false),
        () -> error(id, NetException.peerUnavailable(peer.hex())), () -> metrics.dropped(method));
    return future;
  }

  StreamCall stream(PeerRef peer, String method, JsonNode payload, StreamListener listener, Duration timeout) {
    PeerRef me = self.get();
    long id = network.nextId();
    byte[] body = MemoryNetFacility.bytes(payload);
    ClientStream stream = new ClientStream(listener, () -> {
      streams.remove(id);
      network.sendReply(me, peer, id, CANCEL_FRAME, f -> f.receiveCancel(id));
    });
    touch(peer);
    streams.put(id, new OpenStream(peer, stream, NO_TIMER));
    if (timeout != null) {
      Runnable timer = network.scheduler().schedule(timeout, () -> {
        if (streams.containsKey(id)) {
          streamFailed(id, NetException.timeout(method));
          network.sendReply(me, peer, id, CANCEL_FRAME, f -> f.receiveCancel(id));
        }
      });
      if (streams.computeIfPresent(id, (k, s) -> new OpenStream(peer, stream, timer)) == null) {
        timer.run();
      }
    }
    network.sendRequest(me, peer, id, f -> f.receive(id, me, method, body, true),
        () -> streamFailed(id, NetException.peerUnavailable(peer.hex())), () -> metrics.dropped(method));
    return stream;
  }

  void event(PeerRef peer, String method, JsonNode payload) {
    PeerRef me = self.get();
    byte[] body = MemoryNetFacility.bytes(payload);
    network.sendRequest(me, peer, network.nextId(), f -> f.receiveEvent(me, method, body), () -> {},
        () -> metrics.dropped(method));
  }

  void result(long id, byte[] json) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.cancelTimer().run();
      p.future().complete(Json.parse(json));
    }
  }

  void error(long id, byte[] errorJson) {
    error(id, NetException.fromJson(Json.parse(errorJson)));
  }

  void chunk(long id, long seq, byte[] json) {
    OpenStream s = streams.get(id);
    if (s != null) {
      s.stream().chunk(seq, json);
    }
  }

  void end(long id, long count, byte[] json) {
    OpenStream s = streams.get(id);
    if (s != null) {
      s.stream().end(count, json);
      if (s.stream().isFinished()) {
        streams.remove(id);
        s.cancelTimer().run();
      }
    }
  }

  /** Remembers that this worker has a connection with {@code peer}. */
  void touch(PeerRef peer) {
    connected.add(peer);
  }

  /** Fails everything owed by {@code peer}; true when this worker had a connection with it. */
  boolean lost(PeerRef peer) {
    boolean had = connected.remove(peer);
    NetException lost = new NetException(NetException.ERR_CONNECTION_LOST, "connection to " + peer.hex() + " lost");
    pending.forEach((id, p) -> {
      if (p.peer().equals(peer)) {
        error(id, lost);
      }
    });
    streams.forEach((id, s) -> {
      if (s.peer().equals(peer)) {
        streamFailed(id, lost);
      }
    });
    return had;
  }

  void closeAll(NetException why) {
    pending.keySet().forEach(id -> error(id, why));
    streams.keySet().forEach(id -> streamFailed(id, why));
    connected.clear();
  }

  private void error(long id, NetException e) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.cancelTimer().run();
      p.future().completeExceptionally(e);
      return;
    }
    streamFailed(id, e);
  }

  private void timedOut(long id) {
    Pending p = pending.remove(id);
    if (p != null) {
      p.future().completeExceptionally(NetException.timeout(p.method()));
      PeerRef me = self.get();
      network.sendReply(me, p.peer(), id, CANCEL_FRAME, f -> f.receiveCancel(id));
    }
  }

  private void streamFailed(long id, NetException e) {
    OpenStream s = streams.remove(id);
    if (s != null) {
      s.cancelTimer().run();
      s.stream().fail(e);
    }
  }
}
