package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The caller's half of a net facility, over any {@link Transport}: requests and streams in flight, each with a
 * deadline after which it fails with ERR_TIMEOUT and is forgotten (a stream also tells the peer to stop), the mapping
 * of stream frames to listener calls, the peers this worker has talked to, and failing everything owed by a peer whose
 * connection is lost (but for calls on a connection still open, {@link Transport.Reply#onSent}). Nothing waits on a
 * peer past its deadline, so a dead peer holds no memory. Thread-safe.
 */
final class OutboundCalls {
  private record Pending(PeerRef peer, String method, long t0, CompletableFuture<JsonNode> future, Runnable timer,
      SentReply reply) {}

  private record OpenStream(PeerRef peer, ClientStream stream, Runnable timer, SentReply reply) {}

  /** A request's reply that remembers the connection the transport sent it on (none reported: cannot tell). */
  private abstract static class SentReply implements Transport.Reply {
    private volatile BooleanSupplier connectionOpen = () -> false;

    @Override
    public void onSent(BooleanSupplier open) {
      connectionOpen = open;
    }

    /** Whether a loss of the peer's key fails the call: its connection is gone, or the transport cannot tell. */
    boolean lostWithPeer() {
      return !connectionOpen.getAsBoolean();
    }
  }

  private static final Runnable NO_TIMER = () -> {};

  private final Transport transport;
  private final Scheduler scheduler;
  private final RpcMetrics metrics;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
  private final Map<Long, OpenStream> streams = new ConcurrentHashMap<>();
  private final Set<PeerRef> connected = ConcurrentHashMap.newKeySet();

  OutboundCalls(Transport transport, Scheduler scheduler, RpcMetrics metrics) {
    this.transport = transport;
    this.scheduler = scheduler;
    this.metrics = metrics;
  }

  CompletableFuture<JsonNode> request(PeerRef peer, String method, JsonNode payload, Duration timeout) {
    long id = ids.incrementAndGet();
    long t0 = System.nanoTime();
    CompletableFuture<JsonNode> future = new CompletableFuture<>();
    // Completed from outside (a caller's cancel): settle() never ran, so the entry is still here.
    future.whenComplete((ok, err) -> {
      Pending p = pending.remove(id);
      if (p != null) {
        p.timer().run();
        meter(p, err);
      }
    });
    SentReply reply = new SentReply() {
      @Override
      public void onResponse(byte[] value) {
        JsonNode result;
        try {
          result = Json.parse(value == null ? new byte[0] : value);
        } catch (IllegalArgumentException e) {
          settle(id, null, NetException.badFrame("the response to '" + method + "' is not JSON"));
          return;
        }
        settle(id, result.isMissingNode() ? NullNode.getInstance() : result, null);
      }

      @Override
      public void onError(NetException error) {
        settle(id, null, error);
      }
    };
    touch(peer);
    pending.put(id, new Pending(peer, method, t0, future, NO_TIMER, reply));
    Runnable timer = scheduler.schedule(timeout, () -> settle(id, null, NetException.timeout(method)));
    if (pending.computeIfPresent(id, (k, p) -> new Pending(peer, method, t0, future, timer, reply)) == null) {
      timer.run();
    }
    transport.request(peer, method, bytes(payload), timeout, reply);
    return future;
  }

  StreamCall stream(PeerRef peer, String method, JsonNode payload, StreamListener listener, Duration timeout) {
    long id = ids.incrementAndGet();
    ClientStream stream = new ClientStream(listener, error -> closed(id, error));
    SentReply reply = new SentReply() {
      @Override
      public void onResponse(byte[] value) {
        offLoop(() -> ended(value));
      }

      private void ended(byte[] value) {
        StreamFrame.End end;
        try {
          end = StreamFrames.end(value);
        } catch (NetException e) {
          stream.fail(e);
          return;
        }
        if (end.stream() != id) {
          stream.fail(NetException.badFrame("end of stream " + end.stream() + " on stream " + id));
          return;
        }
        stream.end(end.chunks(), end.value());
      }

      @Override
      public void onError(NetException error) {
        offLoop(() -> peerEnded(id, error));
      }
    };
    touch(peer);
    streams.put(id, new OpenStream(peer, stream, NO_TIMER, reply));
    Runnable timer = scheduler.schedule(timeout, () -> stream.fail(NetException.timeout(method)));
    if (streams.computeIfPresent(id, (k, s) -> new OpenStream(peer, stream, timer, reply)) == null) {
      timer.run();
    }
    byte[] open = StreamFrames.encode(new StreamFrame.Open(id, timeout.toMillis(), payload));
    transport.request(peer, method, open, timeout, reply);
    return stream;
  }

  /**
   * Runs what may call a stream listener off a transport's loop: a reply that arrives on a platform thread (a UDX
   * loop delivers replies there) goes to a virtual thread; one on a virtual thread runs at once. A plain request's
   * reply only completes its future, wherever it arrives.
   */
  private static void offLoop(Runnable listenerCode) {
    if (Thread.currentThread().isVirtual()) {
      listenerCode.run();
    } else {
      Thread.ofVirtual().name("net-stream-end").start(listenerCode);
    }
  }

  void event(PeerRef peer, String method, JsonNode payload) {
    touch(peer);
    transport.event(peer, method, bytes(payload));
  }

  /** A chunk event from {@code from}: delivered only to a stream open with that peer, else dropped and counted. */
  void chunk(PeerRef from, byte[] payload) {
    StreamFrame.Chunk chunk;
    try {
      chunk = StreamFrames.chunk(payload);
    } catch (NetException e) {
      metrics.dropped(StreamFrames.CHUNK);
      return;
    }
    OpenStream s = streams.get(chunk.stream());
    if (s == null || !s.peer().equals(from)) {
      metrics.dropped(StreamFrames.CHUNK);
      return;
    }
    s.stream().chunk(chunk.seq(), chunk.data(), payload.length);
  }

  /** Remembers that this worker has a connection with {@code peer}. */
  void touch(PeerRef peer) {
    connected.add(peer);
  }

  /**
   * Fails everything owed by {@code peer}; true when this worker had a connection with it. A call sent on a connection
   * still open is spared: a loss reported late overtook it (a peer restarted with its key, whose old connection
   * closed as the new one carried the call), and the transport fails it if that connection closes too.
   */
  boolean lost(PeerRef peer) {
    boolean had = connected.remove(peer);
    NetException lost = NetException.connectionLost(peer.hex());
    pending.forEach((id, p) -> {
      if (p.peer().equals(peer) && p.reply().lostWithPeer()) {
        settle(id, null, lost);
      }
    });
    streams.forEach((id, s) -> {
      if (s.peer().equals(peer) && s.reply().lostWithPeer()) {
        peerEnded(id, lost);
      }
    });
    return had;
  }

  void closeAll(NetException why) {
    pending.keySet().forEach(id -> settle(id, null, why));
    streams.keySet().forEach(id -> peerEnded(id, why));
    connected.clear();
  }

  /** Calls and streams waiting on peers, for diagnostics and leak tests. */
  int waiting() {
    return pending.size() + streams.size();
  }

  private void settle(long id, JsonNode result, NetException error) {
    Pending p = pending.remove(id);
    if (p == null) {
      return;
    }
    p.timer().run();
    // The sample goes in before the caller can see the result, so a caller reading the meter finds its call.
    meter(p, error);
    if (error == null) {
      p.future().complete(result);
    } else {
      p.future().completeExceptionally(error);
    }
  }

  private void meter(Pending p, Throwable error) {
    metrics.client(p.method(), error == null ? "ok" : NetException.of(error).code(),
        Duration.ofNanos(System.nanoTime() - p.t0()));
  }

  /** The stream ended from the far side (or the connection did): no cancel goes back. */
  private void peerEnded(long id, NetException error) {
    OpenStream s = streams.remove(id);
    if (s != null) {
      s.timer().run();
      s.stream().fail(error);
    }
  }

  /** The stream ended here; unless it ended cleanly, the peer is told to stop. */
  private void closed(long id, NetException error) {
    OpenStream s = streams.remove(id);
    if (s == null) {
      return;
    }
    s.timer().run();
    if (error != null) {
      transport.event(s.peer(), StreamFrames.CANCEL, StreamFrames.encode(new StreamFrame.Cancel(id)));
    }
  }

  static byte[] bytes(JsonNode payload) {
    return Json.toBytes(payload == null ? NullNode.getInstance() : payload);
  }
}
