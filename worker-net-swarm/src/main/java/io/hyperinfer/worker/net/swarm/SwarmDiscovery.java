package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.hyperdht.AnnounceOptions;
import io.hyperinfer.hyperdht.LookupResult;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.spi.Discovery;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Discovery} on the HyperDHT node of a {@link SwarmNode}, as the JS worker framework's net facility uses it
 * (hp-svc-facs-net: {@code dht.announce}, {@code dht.lookup} on the topic key, no swarm). Announce: a signed record
 * for our key with our RPC server's relay addresses (so JS clients can connect through them without a lookup) on the
 * closest nodes; the first announce of a topic after each start clears our older records first ({@code clear}, as
 * hyperswarm's first refresh does), so a restarted worker leaves no stale ones behind. Unannounce: a lookup, then
 * signed unannounces. Lookup: the public keys of the records found, each once, our own left out, in key order, those a
 * connect lately failed to reach left out too unless no other is left ({@link UnreachablePeers}: a crashed announcer's
 * records outlive it by up to 27 minutes). A DHT failure becomes ERR_PEER_UNAVAILABLE naming it. Thread-safe.
 */
final class SwarmDiscovery implements Discovery {
  private final SwarmNode node;
  private final Set<String> announcedSinceStart = ConcurrentHashMap.newKeySet();
  private volatile PeerRef self;

  SwarmDiscovery(SwarmNode node) {
    this.node = node;
  }

  @Override
  public void open(KeyPair identity) {
    announcedSinceStart.clear();
    self = new PeerRef(identity.publicKey());
  }

  @Override
  public CompletableFuture<Void> announce(byte[] topicKey) {
    boolean clear = announcedSinceStart.add(HexFormat.of().formatHex(topicKey));
    return guard(() -> node.dht().announce(topicKey, node.identity(), node.relayAddresses(),
            new AnnounceOptions(0, clear, QueryOptions.DEFAULT)).finished())
        .handle((done, error) -> {
          if (error != null) {
            throw failed("announce", error);
          }
          return null;
        });
  }

  @Override
  public CompletableFuture<Void> unannounce(byte[] topicKey) {
    announcedSinceStart.remove(HexFormat.of().formatHex(topicKey));
    return guard(() -> node.dht().unannounce(topicKey, node.identity())).handle((done, error) -> {
      if (error != null) {
        throw failed("unannounce", error);
      }
      return null;
    });
  }

  @Override
  public CompletableFuture<List<PeerRef>> lookup(byte[] topicKey) {
    PeerRef me = self;
    return guard(() -> node.dht().lookup(topicKey).finished()).handle((result, error) -> {
      if (error != null) {
        throw failed("lookup", error);
      }
      Set<PeerRef> found = new LinkedHashSet<>();
      for (LookupResult reply : result.replies()) {
        for (Peer record : reply.peers()) {
          found.add(new PeerRef(record.publicKey()));
        }
      }
      found.remove(me);
      return node.unreachable().prefer(found.stream().sorted(Comparator.comparing(PeerRef::hex)).toList());
    });
  }

  @Override
  public void close() {
    announcedSinceStart.clear();
  }

  /** Runs {@code start}; a throw (the node is closed, a bad argument) becomes a failed future like any failure. */
  private static <T> CompletableFuture<T> guard(java.util.function.Supplier<CompletableFuture<T>> start) {
    try {
      return start.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static NetException failed(String what, Throwable error) {
    Throwable cause = RpcErrors.unwrap(error);
    String reason = cause instanceof io.hyperinfer.dht.DhtException d ? d.code().name()
        : cause.getClass().getSimpleName();
    return new NetException(NetException.ERR_PEER_UNAVAILABLE, "the DHT " + what + " failed (" + reason + ")",
        Json.object().put("reason", reason));
  }
}
