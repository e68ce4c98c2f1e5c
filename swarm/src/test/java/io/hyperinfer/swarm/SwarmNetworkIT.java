package io.hyperinfer.swarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.AnnounceOptions;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.LookupResult;
import io.hyperinfer.hyperdht.ServerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * On a loopback testnet: a network change (the node's {@code networkChanged}, as its interface watcher reports one)
 * probes every connection and refreshes every topic; a join's peer limit; the closest nodes a topic keeps for its next
 * refresh and its unannounce.
 */
@Timeout(180)
class SwarmNetworkIT extends LoopbackSwarmCase {
  private static final Duration WAIT = Duration.ofSeconds(60);
  /** Streams with no keep-alive timer: an empty frame is then only the network change's probe, and is delivered. */
  static final SwarmOptions NO_TIMER_KEEPALIVE = SwarmOptions.DEFAULT
      .withConnect(ConnectOptions.DEFAULT.withKeepAlive(Duration.ZERO))
      .withServer(ServerOptions.DEFAULT.withKeepAlive(Duration.ZERO));

  @Test
  void shouldProbeEveryConnectionAndRefreshEveryTopicWhenTheNetworkChanges() {
    SwarmPeer a = peer(71, NO_TIMER_KEEPALIVE);
    SwarmPeer b = peer(72, NO_TIMER_KEEPALIVE);
    byte[] t = topic("network-change");
    a.swarm.join(t, true, false).flushed().join();
    b.swarm.join(t, false, true).flushed().join();
    b.swarm.flush().join();
    await().atMost(WAIT).until(() -> a.to(b) != null && b.to(a) != null);
    int refreshes = a.swarm.status(t).orElseThrow().refreshes();
    assertEquals(0, b.empties.get());

    a.swarm.dht().node().networkChanged();

    await().atMost(WAIT).until(() -> b.empties.get() == 1);
    await().atMost(WAIT).until(() -> a.swarm.status(t).orElseThrow().refreshes() == refreshes + 1);
    assertEquals(1, a.swarm.stats().networkChanges());
    assertEquals(0, b.swarm.stats().networkChanges(), "only the node that saw the change reacts");
    assertTrue(a.to(b) != null && b.to(a) != null, "a live connection survives its probe");

    a.swarm.suspend().join();
    a.swarm.loop().call(() -> { // the change as the node's listener delivers it, while still suspended
      a.swarm.networkChanged();
      return null;
    }).join();
    a.swarm.resume().join();
    assertEquals(1, a.swarm.stats().networkChanges(), "a suspended swarm ignores the change");
    assertEquals(0, a.swarm.loopErrors() + b.swarm.loopErrors());
  }

  @Test
  void shouldFindPeerAnnouncedSinceItsLookupWhenTheNetworkChanges() {
    SwarmPeer looker = peer(73, SwarmOptions.DEFAULT);
    SwarmPeer late = peer(74, SwarmOptions.DEFAULT);
    byte[] t = topic("network-change-lookup");
    looker.swarm.join(t, false, true).flushed().join();
    late.swarm.join(t, true, false).flushed().join();
    looker.swarm.flush().join();
    assertTrue(looker.swarm.connections().isEmpty(), "the lookup ran before the announce");

    looker.swarm.dht().node().networkChanged();

    await().atMost(WAIT).until(() -> looker.to(late) != null && late.to(looker) != null);
  }

  @Test
  void shouldDialAtMostTheLimitWhenJoinedWithOne() {
    byte[] t = topic("limit");
    List<SwarmPeer> servers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SwarmPeer s = peer(81 + i, SwarmOptions.DEFAULT);
      s.swarm.join(t, true, false).flushed().join();
      servers.add(s);
    }
    SwarmPeer c = peer(80, SwarmOptions.DEFAULT);
    JoinSession session = c.swarm.join(t, false, true, 0);
    session.flushed().join();
    c.swarm.flush().join();
    assertEquals(0, c.swarm.stats().clientAttempted(), "limit 0: looked up, nobody dialed");
    assertEquals(0, c.swarm.status(t).orElseThrow().limit());

    session.refresh(false, true, 1).join();
    c.swarm.flush().join();
    assertEquals(1, c.swarm.stats().clientAttempted());
    await().atMost(WAIT).until(() -> c.swarm.connections().size() == 1);

    session.refresh().join(); // a refresh without a limit lifts it, as in JS
    assertEquals(-1, c.swarm.status(t).orElseThrow().limit());
    c.swarm.flush().join();
    await().atMost(WAIT).until(() -> c.swarm.connections().size() == 3);
  }

  /** The topic queries a swarm runs, recorded, each run for real on the node. */
  private static final class Recording implements TopicQueries {
    final TopicQueries real;
    final List<String> kinds = new CopyOnWriteArrayList<>();
    final List<QueryOptions> options = new CopyOnWriteArrayList<>();

    Recording(HyperDht node) {
      this.real = TopicQueries.of(node);
    }

    @Override
    public Query<LookupResult> announce(byte[] topic, KeyPair keyPair, List<HostPort> relays, AnnounceOptions o) {
      kinds.add("announce");
      options.add(o.query());
      return real.announce(topic, keyPair, relays, o);
    }

    @Override
    public Query<LookupResult> lookup(byte[] topic, QueryOptions o) {
      kinds.add("lookup");
      options.add(o);
      return real.lookup(topic, o);
    }

    @Override
    public Query<LookupResult> lookupAndUnannounce(byte[] topic, KeyPair keyPair, QueryOptions o) {
      kinds.add("unannounce");
      options.add(o);
      return real.lookupAndUnannounce(topic, keyPair, o);
    }
  }

  @Test
  void shouldStartFromTheLastClosestNodesAndUnannounceOnlyThereWhenRefreshedAndLeft() {
    HyperDht node = node();
    Recording queries = new Recording(node);
    SwarmPeer a = closeLater(new SwarmPeer(node, 91, SwarmOptions.DEFAULT, queries));
    HyperDht observer = node();
    byte[] t = topic("closest-nodes");
    String aKey = Arrays.toString(a.keys.publicKey());

    JoinSession s = a.swarm.join(t, true, false);
    s.flushed().join();
    assertTrue(queries.options.get(0).nodes().isEmpty(), "the first announce walks from the routing table");
    int closest = a.swarm.status(t).orElseThrow().closestNodes();
    assertTrue(closest > 0, "the announce's closest nodes are kept");

    s.refresh().join();
    QueryOptions second = queries.options.get(1);
    assertEquals(closest, second.nodes().size(), "the next refresh starts from them");
    assertFalse(second.onlyClosestNodes(), "and may still walk further");
    assertTrue(announced(observer, t).contains(aKey));

    a.swarm.leave(t).join();
    assertEquals(List.of("announce", "announce", "unannounce"), queries.kinds);
    QueryOptions unannounce = queries.options.get(2);
    assertTrue(unannounce.onlyClosestNodes() && unannounce.force(), "only the known closest nodes are asked");
    assertFalse(unannounce.nodes().isEmpty());
    assertFalse(announced(observer, t).contains(aKey), "and that removed the record");
  }
}
