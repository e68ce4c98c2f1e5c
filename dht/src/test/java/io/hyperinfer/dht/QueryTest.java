package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimTestnet;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Iterative queries and commit (dht-rpc query.js) on a 60-node simulated network. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryTest {
  private static final int COMMAND = 77;
  private SimNetwork net;
  private SimTestnet testnet;
  private final Map<String, AtomicInteger> commits = new HashMap<>();

  @BeforeAll
  void setUp() {
    net = new SimNetwork(31);
    testnet = SimTestnet.create(net, 60);
    net.runFor(30_000);
    for (DhtNode n : testnet.nodes()) {
      String id = HexFormat.of().formatHex(n.id());
      n.onRequest(req -> {
        if (req.command() != COMMAND) {
          return false;
        }
        if (req.token() != null) {
          commits.computeIfAbsent(id, x -> new AtomicInteger()).incrementAndGet();
          req.reply(null, ReplyOptions.BARE);
        } else {
          req.reply(new byte[] {1});
        }
        return true;
      });
    }
  }

  private List<byte[]> idsExcept(DhtNode self) {
    return testnet.nodes().stream().filter(n -> n != self).map(DhtNode::id).toList();
  }

  private static Throwable failure(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("did not fail");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }

  @Test
  void shouldFindExactlyTheTwentyXorClosestIds() {
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 10; i++) {
      DhtNode from = testnet.nodes().get(random.nextInt(testnet.nodes().size()));
      byte[] target = XorOrder.target(random);
      QueryResult<Response> r = net.await(from.findNode(target).finished(), 60_000);
      assertEquals(XorOrder.closest(idsExcept(from), target, 20), XorOrder.hex(r.closestNodes()), "query " + i);
      assertTrue(r.replies().size() >= 20);
      assertEquals(0, r.errors());
    }
  }

  @Test
  void shouldFindTheClosestFromAnEphemeralNodeToo() {
    DhtNode eph = testnet.add(o -> o.withMode(NodeOptions.Mode.EPHEMERAL));
    byte[] target = XorOrder.target(new SplittableRandom(2));
    QueryResult<Response> r = net.await(eph.findNode(target).finished(), 60_000);
    List<byte[]> ids = testnet.nodes().stream().map(DhtNode::id).filter(java.util.Objects::nonNull).toList();
    assertEquals(XorOrder.closest(ids, target, 20), XorOrder.hex(r.closestNodes()));
  }

  @Test
  void shouldCommitToExactlyTheClosestTwentyWithTheirTokens() {
    commits.clear();
    DhtNode from = testnet.nodes().get(5);
    byte[] target = XorOrder.target(new SplittableRandom(3));
    QueryResult<Response> r = net.await(from.query(new QueryRequest(target, COMMAND, new byte[] {9}),
        QueryOptions.DEFAULT.withCommit(Commit.AUTO)).finished(), 60_000);
    assertEquals(20, r.closestReplies().size());
    Set<String> expected = Set.copyOf(XorOrder.closest(idsExcept(from), target, 20));
    assertEquals(expected, commits.keySet());
    assertTrue(commits.values().stream().allMatch(c -> c.get() == 1), "each closest node once");
    assertTrue(r.closestReplies().stream().allMatch(m -> m.token() != null));
  }

  @Test
  void shouldRunACustomCommitForEveryClosestReplyAndFailOnlyIfAllFail() {
    DhtNode from = testnet.nodes().get(7);
    byte[] target = XorOrder.target(new SplittableRandom(4));
    List<Response> seen = new ArrayList<>();
    Commit oneFails = (reply, q, node) -> {
      seen.add(reply);
      return seen.size() == 1 ? CompletableFuture.failedFuture(new IllegalStateException("no"))
          : CompletableFuture.completedFuture(null);
    };
    net.await(from.query(new QueryRequest(target, COMMAND, null), QueryOptions.DEFAULT.withCommit(oneFails))
        .finished(), 60_000);
    assertEquals(20, seen.size());
    IllegalStateException last = new IllegalStateException("all failed");
    Query<Response> q = from.query(new QueryRequest(target, COMMAND, null), QueryOptions.DEFAULT.withCommit(
        (reply, query, node) -> CompletableFuture.failedFuture(last)));
    net.runFor(q.finished()::isDone, 60_000);
    assertEquals(last, failure(q.finished()));
    Query<Response> throwing = from.query(new QueryRequest(target, COMMAND, null), QueryOptions.DEFAULT.withCommit(
        (reply, query, node) -> {
          throw new IllegalStateException("thrown");
        }));
    net.runFor(throwing.finished()::isDone, 60_000);
    assertInstanceOf(IllegalStateException.class, failure(throwing.finished()));
  }

  @Test
  void shouldFailWithTooFewNodesWhenNothingWithAnIdAnswers() {
    SimNetwork lonely = new SimNetwork(5);
    DhtNode a = DhtNode.create(lonely.runtime(), NodeOptions.DEFAULT.withMode(NodeOptions.Mode.EPHEMERAL));
    lonely.await(a.ready(), 10_000);
    DhtNode b = DhtNode.create(lonely.runtime(), NodeOptions.DEFAULT.withMode(NodeOptions.Mode.EPHEMERAL)
        .withBootstrap(List.of(a.localAddress())));
    lonely.await(b.ready(), 10_000);
    Query<Response> q = b.query(new QueryRequest(new byte[32], COMMAND, null),
        QueryOptions.DEFAULT.withCommit(Commit.AUTO));
    lonely.runFor(q.finished()::isDone, 30_000);
    DhtException e = assertInstanceOf(DhtException.class, failure(q.finished()));
    assertEquals(DhtException.Code.TOO_FEW_NODES, e.code());
    assertEquals("Too few nodes responded", e.getMessage());
    Query<Response> plain = b.findNode(new byte[32]);
    assertEquals(0, lonely.await(plain.finished(), 30_000).closestReplies().size(), "no commit: fine");
  }

  @Test
  void shouldFailAutoCommitWithoutTokens() {
    DhtNode from = testnet.nodes().get(9);
    Query<Response> q = from.findNode(XorOrder.target(new SplittableRandom(5)),
        QueryOptions.DEFAULT.withCommit(Commit.AUTO));
    net.runFor(q.finished()::isDone, 60_000);
    assertEquals(DhtException.Code.NO_TOKEN, ((DhtException) failure(q.finished())).code(),
        "FIND_NODE replies carry no token");
  }

  @Test
  void shouldMapSkipAndStreamReplies() {
    DhtNode from = testnet.nodes().get(11);
    List<Integer> streamed = new ArrayList<>();
    AtomicInteger calls = new AtomicInteger();
    Query<Integer> q = from.query(new QueryRequest(XorOrder.target(new SplittableRandom(6)), COMMAND, null),
        QueryOptions.DEFAULT, m -> calls.incrementAndGet() % 2 == 0 ? null : m.value().length, streamed::add);
    QueryResult<Integer> r = net.await(q.finished(), 60_000);
    assertEquals(streamed, r.replies());
    assertTrue(calls.get() > r.replies().size(), "nulls were skipped");
    assertTrue(r.replies().stream().allMatch(v -> v == 1));
  }

  @Test
  void shouldVisitOnlyTheSeedsWhenAskedTo() {
    DhtNode from = testnet.nodes().get(13);
    List<HostPort> seeds = testnet.nodes().subList(20, 23).stream().map(DhtNode::localAddress).toList();
    QueryResult<Response> r = net.await(from.findNode(XorOrder.target(new SplittableRandom(7)),
        QueryOptions.DEFAULT.withNodes(seeds).withOnlyClosestNodes(true)).finished(), 60_000);
    assertEquals(Set.copyOf(seeds), r.replies().stream().map(m -> m.from().address()).collect(Collectors.toSet()));
  }

  @Test
  void shouldReseedFromTheTableWhenCachedSeedsMostlyFail() {
    DhtNode from = testnet.nodes().get(15);
    List<HostPort> dead = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      dead.add(new HostPort("10.99.0." + (i + 1), 49737));
    }
    byte[] target = XorOrder.target(new SplittableRandom(8));
    QueryResult<Response> r = net.await(from.findNode(target, QueryOptions.DEFAULT.withNodes(dead)).finished(),
        120_000);
    assertEquals(XorOrder.closest(idsExcept(from), target, 20), XorOrder.hex(r.closestNodes()));
    assertTrue(r.errors() >= 25);
  }

  @Test
  void shouldFailWhenDestroyed() {
    DhtNode from = testnet.nodes().get(17);
    Query<Response> q = from.findNode(XorOrder.target(new SplittableRandom(9)));
    q.destroy();
    net.runFor(q.finished()::isDone, 1000);
    assertEquals(DhtException.Code.REQUEST_DESTROYED, ((DhtException) failure(q.finished())).code());
    assertEquals(0, from.stats().queriesActive());
    assertNotNull(from.stats());
  }

  @Test
  void shouldEndWithoutWaitingForSlowNodesOnceItHasTwentyReplies() {
    SimNetwork slowNet = new SimNetwork(41);
    SimTestnet t = SimTestnet.create(slowNet, 30);
    List<DhtNode> slow = new ArrayList<>();
    for (int i = 1; i < 10; i++) {
      slow.add(t.add(slowNet.runtime().extraLatency(1500), o -> o));
    }
    byte[] target = XorOrder.target(new SplittableRandom(10));
    DhtNode from = t.nodes().get(3);
    long start = slowNet.nowMs();
    QueryResult<Response> r = slowNet.await(from.findNode(target).finished(), 120_000);
    // slow requests (past their first 1 s wait) free their slot; with 20 replies in hand the walk ends (query.js)
    assertTrue(slowNet.nowMs() - start < 3000, "did not wait for the 3 s round trips");
    assertEquals(20, r.closestReplies().size());
    Set<String> slowIds = slow.stream().map(n -> HexFormat.of().formatHex(n.id())).collect(Collectors.toSet());
    assertTrue(XorOrder.hex(r.closestNodes()).stream().noneMatch(slowIds::contains));
    List<byte[]> got = r.closestNodes().stream().map(Peer::id).toList();
    assertEquals(XorOrder.closest(got, target, 20), XorOrder.hex(r.closestNodes()), "closest first");
  }
}
