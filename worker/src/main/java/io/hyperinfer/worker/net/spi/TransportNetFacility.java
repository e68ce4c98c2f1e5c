package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.AsyncRequestHandler;
import io.hyperinfer.worker.net.ConnectionListener;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.PeerReply;
import io.hyperinfer.worker.net.RequestHandler;
import io.hyperinfer.worker.net.RequestOptions;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamHandler;
import io.hyperinfer.worker.net.StreamListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link NetFacility} made of a {@link Transport}, a {@link Discovery} and the transport-neutral machinery: the
 * handler side ({@link InboundCalls}), the caller side ({@link OutboundCalls}), topic requests ({@link TopicClient}),
 * announcements ({@link Announcer}) and the stream format ({@link StreamFrames}). A transport module binds its
 * transport and discovery by extending this class and adds nothing else. Settings: {@link NetSettings}, from
 * {@code facs.net}. Thread-safe.
 */
public class TransportNetFacility implements NetFacility {
  private static final Logger LOG = LoggerFactory.getLogger(TransportNetFacility.class);

  private final Transport transport;
  private final Discovery discovery;
  private final Scheduler scheduler;
  private final InboundCalls inbound;
  private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
  private volatile PeerRef self;
  private volatile NetSettings settings = NetSettings.DEFAULT;
  private volatile RpcMetrics metrics;
  private volatile OutboundCalls outbound;
  private volatile Announcer announcer;
  private volatile TopicClient topics;
  private final Map<String, Predicate<PeerRef>> trustRules =
      new ConcurrentHashMap<>();

  protected TransportNetFacility(Transport transport, Discovery discovery, Scheduler scheduler) {
    this.transport = transport;
    this.discovery = discovery;
    this.scheduler = scheduler;
    this.inbound = new InboundCalls(scheduler);
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
    settings = NetSettings.fromConfig(context.config());
    KeyPair identity = context.identity().get();
    PeerRef me = new PeerRef(identity.publicKey());
    metrics = new RpcMetrics(context.metrics());
    outbound = new OutboundCalls(transport, scheduler, metrics);
    Function<String, byte[]> keyOf = Topics.keys(networkKey(context.config()));
    announcer = new Announcer(discovery, scheduler, settings.announceInterval(), keyOf);
    TopicClient client = new TopicClient(discovery, (peer, method, payload, options) -> outbound.request(peer, method,
        payload, deadline(options, settings.timeout())), Arrays.hashCode(identity.publicKey()), keyOf);
    trustRules.forEach(client::trust);
    topics = client;
    inbound.open(context.worker(), metrics, settings,
        new RequestLog(context.config().bool("facs.net.requestLog", true)));
    discovery.open(identity);
    transport.open(identity, new Router());
    self = me;
  }

  @Override
  public boolean drain(Duration max) {
    return inbound.drain(max);
  }

  @Override
  public void stop() {
    if (self == null) {
      return;
    }
    try {
      announcer.clear().get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("withdrawing announcements failed; they expire on their own", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    inbound.close();
    outbound.closeAll(new NetException(NetException.ERR_PEER_UNAVAILABLE, "local net facility stopped"));
    transport.close();
    discovery.close();
    self = null;
  }

  @Override
  public byte[] publicKey() {
    return self().publicKey();
  }

  @Override
  public void respond(String method, RequestHandler handler) {
    inbound.respond(method, handler);
  }

  @Override
  public void respondAsync(String method, AsyncRequestHandler handler) {
    inbound.respondAsync(method, handler);
  }

  @Override
  public void respondStream(String method, StreamHandler handler) {
    inbound.respondStream(method, handler);
  }

  @Override
  public CompletableFuture<JsonNode> request(byte[] publicKey, String method, JsonNode payload,
      RequestOptions options) {
    self();
    return outbound.request(new PeerRef(publicKey), method, payload, deadline(options, settings.timeout()));
  }

  @Override
  public CompletableFuture<JsonNode> topicRequest(String topic, String method, JsonNode payload,
      RequestOptions options) {
    self();
    int attempts = options.attempts() > 0 ? options.attempts() : settings.topicAttempts();
    return topics.request(topic, method, payload, options, attempts);
  }

  @Override
  public CompletableFuture<List<PeerReply>> topicRequestAll(String topic, String method, JsonNode payload,
      RequestOptions options) {
    self();
    Duration timeout = deadline(options, settings.timeout());
    return topics.lookup(topic, false).thenCompose(peers -> {
      List<CompletableFuture<PeerReply>> replies = new ArrayList<>();
      for (PeerRef peer : peers) {
        replies.add(outbound.request(peer, method, payload, timeout)
            .handle((ok, err) -> err == null ? PeerReply.ok(peer, ok) : PeerReply.failed(peer, NetException.of(err))));
      }
      return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
          .thenApply(v -> replies.stream().map(CompletableFuture::join).toList());
    });
  }

  @Override
  public StreamCall requestStream(byte[] publicKey, String method, JsonNode payload, StreamListener listener,
      RequestOptions options) {
    self();
    return outbound.stream(new PeerRef(publicKey), method, payload, listener,
        deadline(options, settings.streamTimeout()));
  }

  @Override
  public void event(byte[] publicKey, String method, JsonNode payload) {
    self();
    outbound.event(new PeerRef(publicKey), method, payload);
  }

  @Override
  public CompletableFuture<Void> announce(String topic) {
    self();
    long t0 = System.nanoTime();
    return announcer.add(Topics.check(topic)).whenComplete((v, e) ->
        metrics.facility(name(), "announce", Duration.ofNanos(System.nanoTime() - t0)));
  }

  @Override
  public CompletableFuture<Void> unannounce(String topic) {
    self();
    return announcer.remove(Topics.check(topic)).thenApply(wasAnnounced -> null);
  }

  @Override
  public CompletableFuture<List<PeerRef>> lookup(String topic, boolean cached) {
    self();
    long t0 = System.nanoTime();
    return topics.lookup(topic, cached).whenComplete((peers, e) ->
        metrics.facility(name(), cached ? "lookup.cached" : "lookup", Duration.ofNanos(System.nanoTime() - t0)));
  }

  @Override
  public void allowOnly(Set<String> publicKeysHex) {
    inbound.allowOnly(publicKeysHex.stream().map(PeerRef::ofHex).collect(Collectors.toSet()));
  }

  @Override
  public void allowOnly(Predicate<PeerRef> admits) {
    inbound.allowOnly(admits);
  }

  @Override
  public void trustAnnouncers(String topicPrefix, Predicate<PeerRef> announcers) {
    trustRules.put(Topics.check(topicPrefix), announcers);
    TopicClient client = topics;
    if (client != null) {
      client.trust(topicPrefix, announcers);
    }
  }

  /** The network key ({@code network.key}, hex) that keys every topic, or null outside a network. */
  private static byte[] networkKey(io.hyperinfer.worker.Config config) {
    String hex = config.string("network.key", "");
    return hex.isBlank() ? null : io.hyperinfer.network.NetworkKey.parse(hex).publicKey();
  }

  @Override
  public void allowAll() {
    inbound.allowAll();
  }

  @Override
  public void addConnectionListener(ConnectionListener listener) {
    listeners.add(listener);
  }

  /** Calls currently being handled here, for drain diagnostics. */
  public int inFlight() {
    return inbound.inFlight();
  }

  /** Requests and streams this facility waits on, for diagnostics and leak tests. */
  public int waiting() {
    OutboundCalls out = outbound;
    return out == null ? 0 : out.waiting();
  }

  /** Topics this facility keeps announced. */
  public Set<String> announcedTopics() {
    Announcer a = announcer;
    return a == null ? Set.of() : a.topics();
  }

  /** The settings in force; {@link NetSettings#DEFAULT} before start. */
  public NetSettings settings() {
    return settings;
  }

  @Override
  public String toString() {
    PeerRef me = self;
    return getClass().getSimpleName() + "[" + (me == null ? "stopped"
        : HexFormat.of().formatHex(me.publicKey(), 0, 6)) + "]";
  }

  private PeerRef self() {
    PeerRef me = self;
    if (me == null) {
      throw WorkerException.illegalState("net facility is not started");
    }
    return me;
  }

  private static Duration deadline(RequestOptions options, Duration fallback) {
    return options.timeout() != null ? options.timeout() : fallback;
  }

  /** What the transport delivers, routed to the machinery: stream frames to their streams, the rest to handlers. */
  private final class Router implements Transport.Inbound {
    @Override
    public void onRequest(Transport.Exchange exchange) {
      outbound.touch(exchange.remote());
      inbound.dispatch(exchange);
    }

    @Override
    public void onEvent(PeerRef from, String method, byte[] payload) {
      switch (method) {
        case StreamFrames.CHUNK -> outbound.chunk(from, payload);
        case StreamFrames.CANCEL -> inbound.cancel(from, payload);
        default -> inbound.dispatchEvent(from, method, payload);
      }
    }

    @Override
    public void onConnectionLost(PeerRef peer) {
      if (peer.equals(self)) {
        return;
      }
      inbound.peerLost(peer);
      topics.forget(peer);
      if (outbound.lost(peer)) {
        listeners.forEach(l -> l.onConnectionLost(peer));
      }
    }
  }
}
