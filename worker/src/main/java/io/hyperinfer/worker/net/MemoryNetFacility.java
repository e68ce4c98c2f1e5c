package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.metrics.RpcMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A worker's net facility on a {@link MemoryNetwork}. Every payload is serialised to JSON bytes and parsed on the other
 * side, so handlers never share objects with callers. Settings (under {@code facs.net}): {@code timeout} (default 10s),
 * {@code topicAttempts} (3), {@code announceInterval} (10m). Thread-safe.
 */
public final class MemoryNetFacility implements NetFacility {
  private static final long TERMINAL_FRAME = -2;

  private final MemoryNetwork network;
  private final RpcDispatcher dispatcher = new RpcDispatcher();
  private final OutboundCalls outbound;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private volatile PeerRef self;
  private volatile Duration timeout = Duration.ofSeconds(10);
  private volatile int topicAttempts = 3;
  private volatile Announcer announcer;
  private volatile TopicClient topics;
  private volatile RpcMetrics metrics;

  public MemoryNetFacility(MemoryNetwork network) {
    this.network = network;
    this.outbound = new OutboundCalls(network, this::self);
  }

  @Override
  public String name() {
    return "net";
  }

  @Override
  public int priority() {
    return PRIORITY_NET;
  }

  @Override
  public void start(FacilityContext context) {
    Config cfg = context.config().section("facs.net");
    timeout = cfg.duration("timeout", Duration.ofSeconds(10));
    if (timeout.isZero()) {
      throw ConfigException.invalid("facs.net.timeout", "must be positive");
    }
    topicAttempts = cfg.intValue("topicAttempts", 3);
    if (topicAttempts < 1) {
      throw ConfigException.invalid("facs.net.topicAttempts", "must be at least 1");
    }
    Duration interval = cfg.duration("announceInterval", Duration.ofMinutes(10));
    KeyPair identity = context.identity().get();
    PeerRef me = new PeerRef(identity.publicKey());
    metrics = new RpcMetrics(context.metrics());
    outbound.open(metrics);
    announcer = new Announcer(network.scheduler(), interval.isZero() ? Duration.ofMinutes(10) : interval,
        topic -> network.announce(MemoryNetwork.topicKey(topic), me));
    topics = new TopicClient(topic -> network.lookup(MemoryNetwork.topicKey(topic)),
        (peer, method, payload, options) -> outbound.request(peer, method, payload, effective(options)),
        Arrays.hashCode(identity.publicKey()));
    dispatcher.open(context.worker(), metrics);
    self = me;
    network.attach(me, this);
  }

  @Override
  public boolean drain(Duration max) {
    return dispatcher.drain(max);
  }

  @Override
  public void stop() {
    PeerRef me = self;
    if (me == null) {
      return;
    }
    Announcer a = announcer;
    for (String topic : a.topics()) {
      network.unannounce(MemoryNetwork.topicKey(topic), me);
    }
    a.clear();
    dispatcher.close();
    outbound.closeAll(new NetException(NetException.ERR_PEER_UNAVAILABLE, "local net facility stopped"));
    network.detach(me);
    self = null;
  }

  @Override
  public byte[] publicKey() {
    return self().publicKey();
  }

  @Override
  public void respond(String method, RequestHandler handler) {
    dispatcher.respond(method, handler);
  }

  @Override
  public void respondAsync(String method, AsyncRequestHandler handler) {
    dispatcher.respondAsync(method, handler);
  }

  @Override
  public void respondStream(String method, StreamHandler handler) {
    dispatcher.respondStream(method, handler);
  }

  @Override
  public CompletableFuture<JsonNode> request(byte[] publicKey, String method, JsonNode payload,
      RequestOptions options) {
    return outbound.request(new PeerRef(publicKey), method, payload, effective(options));
  }

  @Override
  public CompletableFuture<JsonNode> topicRequest(String topic, String method, JsonNode payload,
      RequestOptions options) {
    int attempts = options.attempts() > 0 ? options.attempts() : topicAttempts;
    return topics().request(topic, method, payload, options, attempts);
  }

  @Override
  public CompletableFuture<List<PeerReply>> topicRequestAll(String topic, String method, JsonNode payload,
      RequestOptions options) {
    List<PeerRef> peers = topics().lookup(topic, false);
    List<CompletableFuture<PeerReply>> replies = new ArrayList<>();
    for (PeerRef peer : peers) {
      replies.add(outbound.request(peer, method, payload, effective(options))
          .handle((ok, err) -> err == null ? PeerReply.ok(peer, ok)
              : PeerReply.failed(peer, RpcDispatcher.unwrap(err))));
    }
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
        .thenApply(v -> replies.stream().map(CompletableFuture::join).toList());
  }

  @Override
  public StreamCall requestStream(byte[] publicKey, String method, JsonNode payload, StreamListener listener,
      RequestOptions options) {
    return outbound.stream(new PeerRef(publicKey), method, payload, listener, options.timeout());
  }

  @Override
  public void event(byte[] publicKey, String method, JsonNode payload) {
    outbound.event(new PeerRef(publicKey), method, payload);
  }

  @Override
  public CompletableFuture<Void> announce(String topic) {
    self();
    long t0 = System.nanoTime();
    announcer.add(topic);
    metrics.facility(name(), "announce", Duration.ofNanos(System.nanoTime() - t0));
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> unannounce(String topic) {
    PeerRef me = self();
    announcer.remove(topic);
    network.unannounce(MemoryNetwork.topicKey(topic), me);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<List<PeerRef>> lookup(String topic, boolean cached) {
    long t0 = System.nanoTime();
    List<PeerRef> peers = topics().lookup(topic, cached);
    metrics.facility(name(), cached ? "lookup.cached" : "lookup", Duration.ofNanos(System.nanoTime() - t0));
    return CompletableFuture.completedFuture(peers);
  }

  @Override
  public void allowOnly(Set<String> publicKeysHex) {
    dispatcher.allowOnly(publicKeysHex.stream().map(PeerRef::ofHex).collect(Collectors.toSet()));
  }

  @Override
  public void allowAll() {
    dispatcher.allowAll();
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  /** Calls currently being handled, for drain diagnostics. */
  public int inFlight() {
    return dispatcher.inFlight();
  }

  /** Topics this facility keeps announced. */
  public Set<String> announcedTopics() {
    Announcer a = announcer;
    return a == null ? Set.of() : a.topics();
  }

  void receive(long id, PeerRef from, String method, byte[] payload, boolean stream) {
    PeerRef me = self;
    if (me == null) {
      return; // stopping: the network reports this peer lost to the caller
    }
    outbound.touch(from);
    dispatcher.dispatch(id, from, method, payload, stream, new ReplyPort() {
      @Override
      public void result(byte[] json) {
        network.sendReply(me, from, id, TERMINAL_FRAME, f -> f.outbound.result(id, json));
      }

      @Override
      public void error(byte[] errorJson) {
        network.sendReply(me, from, id, TERMINAL_FRAME, f -> f.outbound.error(id, errorJson));
      }

      @Override
      public void chunk(long seq, byte[] json) {
        network.sendReply(me, from, id, seq, f -> f.outbound.chunk(id, seq, json));
      }

      @Override
      public void end(long count, byte[] json) {
        network.sendReply(me, from, id, TERMINAL_FRAME, f -> f.outbound.end(id, count, json));
      }
    });
  }

  void receiveEvent(PeerRef from, String method, byte[] payload) {
    dispatcher.dispatchEvent(from, method, payload);
  }

  void receiveCancel(long id) {
    dispatcher.cancel(id);
  }

  /** Called by the network when {@code peer} crashed or left. */
  void peerLost(PeerRef peer) {
    if (peer.equals(self)) {
      return;
    }
    dispatcher.peerLost(peer);
    TopicClient t = topics;
    if (t != null) {
      t.forget(peer);
    }
    if (outbound.lost(peer)) {
      listeners.forEach(l -> l.onConnectionLost(peer));
    }
  }

  private PeerRef self() {
    PeerRef me = self;
    if (me == null) {
      throw WorkerException.illegalState("net facility is not started");
    }
    return me;
  }

  private TopicClient topics() {
    self();
    return topics;
  }

  private RequestOptions effective(RequestOptions options) {
    return options.timeout() != null ? options : options.withTimeout(timeout);
  }

  @Override
  public String toString() {
    PeerRef me = self;
    return "MemoryNetFacility[" + (me == null ? "stopped" : HexFormat.of().formatHex(me.publicKey(), 0, 6)) + "]";
  }

  static byte[] bytes(JsonNode payload) {
    return Json.toBytes(payload == null ? NullNode.getInstance() : payload);
  }
}
