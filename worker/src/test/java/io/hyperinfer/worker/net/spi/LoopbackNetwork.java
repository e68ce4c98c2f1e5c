package io.hyperinfer.worker.net.spi;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The simplest transport and discovery, for tests of the machinery at its two seams: every message is delivered at
 * once on the sending thread, in order, as a copy; nothing is dropped. {@link #crash} makes a peer unreachable and
 * reports its connections lost, as a killed process would. Thread-safe.
 */
public final class LoopbackNetwork {
  private final Scheduler scheduler;
  private final Map<PeerRef, Peer> peers = new ConcurrentHashMap<>();
  private final Map<String, Set<PeerRef>> topics = new ConcurrentHashMap<>();
  private final AtomicInteger announcements = new AtomicInteger();

  public LoopbackNetwork() {
    this(Scheduler.system());
  }

  public LoopbackNetwork(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** A facility on this network, attached when started. */
  public TransportNetFacility facility() {
    return new LoopbackFacility(this);
  }

  public List<PeerRef> attachedPeers() {
    return List.copyOf(peers.keySet());
  }

  /** Announce calls made so far, re-announces included. */
  public int announcements() {
    return announcements.get();
  }

  /** The peer vanishes without a goodbye: unreachable, and everyone hears its connection is lost. */
  public void crash(byte[] publicKey) {
    Peer gone = peers.remove(new PeerRef(publicKey));
    if (gone != null) {
      peers.values().forEach(p -> p.inbound.onConnectionLost(gone.self));
    }
  }

  private static final class LoopbackFacility extends TransportNetFacility {
    LoopbackFacility(LoopbackNetwork network) {
      super(network.new Wire(), network.new Registry(), network.scheduler);
    }
  }

  private record Peer(PeerRef self, Transport.Inbound inbound) {}

  private final class Wire implements Transport {
    private volatile PeerRef self;

    @Override
    public void open(KeyPair identity, Inbound inbound) {
      PeerRef me = new PeerRef(identity.publicKey());
      if (peers.putIfAbsent(me, new Peer(me, inbound)) != null) {
        throw new IllegalStateException("key already attached");
      }
      self = me;
    }

    @Override
    public void request(PeerRef to, String method, byte[] payload, Duration timeout, Reply reply) {
      Peer target = peers.get(to);
      if (target == null) {
        reply.onError(NetException.peerUnavailable(to.hex()));
        return;
      }
      PeerRef from = self;
      target.inbound().onRequest(new Exchange() {
        @Override
        public PeerRef remote() {
          return from;
        }

        @Override
        public String method() {
          return method;
        }

        @Override
        public byte[] payload() {
          return payload.clone();
        }

        @Override
        public void respond(byte[] value) {
          if (peers.containsKey(to)) {
            reply.onResponse(value.clone());
          }
        }

        @Override
        public void fail(NetException error) {
          if (peers.containsKey(to)) {
            reply.onError(error);
          }
        }

        @Override
        public void event(String eventMethod, byte[] value) {
          Peer caller = peers.get(from);
          if (caller != null && peers.containsKey(to)) {
            caller.inbound().onEvent(to, eventMethod, value.clone());
          }
        }
      });
    }

    @Override
    public void event(PeerRef to, String method, byte[] payload) {
      Peer target = peers.get(to);
      if (target != null) {
        target.inbound().onEvent(self, method, payload.clone());
      }
    }

    @Override
    public void close() {
      PeerRef me = self;
      if (me != null && peers.remove(me) != null) {
        peers.values().forEach(p -> p.inbound.onConnectionLost(me));
      }
    }
  }

  private final class Registry implements Discovery {
    private volatile PeerRef self;

    @Override
    public void open(KeyPair identity) {
      self = new PeerRef(identity.publicKey());
    }

    @Override
    public CompletableFuture<Void> announce(byte[] topicKey) {
      announcements.incrementAndGet();
      topics.computeIfAbsent(HexFormat.of().formatHex(topicKey), k -> java.util.Collections.synchronizedSet(
          new LinkedHashSet<>())).add(self);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> unannounce(byte[] topicKey) {
      Set<PeerRef> announcers = topics.get(HexFormat.of().formatHex(topicKey));
      if (announcers != null) {
        announcers.remove(self);
      }
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<PeerRef>> lookup(byte[] topicKey) {
      Set<PeerRef> found = topics.getOrDefault(HexFormat.of().formatHex(topicKey), Set.of());
      synchronized (found) {
        return CompletableFuture.completedFuture(new ArrayList<>(found));
      }
    }

    @Override
    public void close() {}
  }
}
