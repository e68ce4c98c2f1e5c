package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimTestnet;
import io.hyperinfer.dht.wire.RequestMessage;
import io.hyperinfer.dht.wire.ResponseMessage;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Retries, timeouts, the congestion window, tids, sessions and tokens (dht-rpc io.js) on virtual time. */
class RequestEngineTest {
  private SimNetwork net;
  private SimTestnet testnet;
  private DhtNode node;
  private RawPeer silent;

  @BeforeEach
  void setUp() {
    net = new SimNetwork(21).latency(1, 1);
    testnet = SimTestnet.create(net, 4);
    node = testnet.nodes().get(2);
    silent = new RawPeer(net);
  }

  private static DhtException failure(CompletableFuture<?> f) {
    try {
      f.join();
    } catch (CompletionException e) {
      return assertInstanceOf(DhtException.class, e.getCause());
    }
    throw new AssertionError("did not fail");
  }

  @Test
  void shouldResendTheSameBytesFourTimesASecondApartThenTimeOut() {
    long start = net.nowMs();
    CompletableFuture<Response> f = node.request(silent.server(), 7, null, new byte[] {1}, null,
        RequestOptions.DEFAULT);
    net.runFor(f::isDone, 10_000);
    assertEquals(DhtException.Code.REQUEST_TIMEOUT, failure(f).code());
    assertEquals(4000, net.nowMs() - start, 2);
    List<RawPeer.Received> got = silent.received;
    assertEquals(4, got.size());
    byte[] first = got.getFirst().message().encode();
    for (RawPeer.Received r : got) {
      assertArrayEquals(first, r.message().encode(), "every send repeats the same bytes");
    }
    assertEquals(1000, got.get(1).atMs() - got.get(0).atMs());
    assertEquals(3, node.stats().retries());
    assertEquals(1, node.stats().timeouts());
  }

  @Test
  void shouldSendOnceWithoutRetryAndHonourACustomTimeout() {
    long start = net.nowMs();
    CompletableFuture<Response> f = node.ping(silent.server(), RequestOptions.DEFAULT.withRetry(false));
    net.runFor(f::isDone, 10_000);
    assertEquals(DhtException.Code.REQUEST_TIMEOUT, failure(f).code());
    assertEquals(1000, net.nowMs() - start, 2);
    assertEquals(1, silent.received.size());
    start = net.nowMs();
    CompletableFuture<Response> g = node.ping(silent.server(),
        RequestOptions.DEFAULT.withRetry(false).withTimeoutMs(250));
    net.runFor(g::isDone, 10_000);
    assertEquals(250, net.nowMs() - start, 2);
  }

  @Test
  void shouldWaitTheDelayPlusASecondForDelayedPings() {
    CompletableFuture<Response> f = node.delayedPing(testnet.bootstrapper().localAddress(), 3000,
        RequestOptions.DEFAULT.withRetry(false));
    Response r = net.await(f, 5000);
    assertTrue(r.rttMs() >= 3000);
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        failure(node.delayedPing(silent.server(), 10_001, RequestOptions.DEFAULT)).code());
  }

  @Test
  void shouldQueueBehindAFullWindowAndDrainEveryPeriod() {
    DhtNode small = testnet.add(o -> o.withMaxWindow(2));
    List<CompletableFuture<Response>> all = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(small.ping(silent.server(), RequestOptions.DEFAULT.withRetry(false)));
    }
    net.runFor(10);
    int first = silent.received.size();
    assertEquals(2, first, "two per 750 ms slot");
    net.runFor(3000);
    assertEquals(8, silent.received.size(), "the rest left as slots opened");
    for (CompletableFuture<Response> f : all) {
      net.runFor(f::isDone, 5000);
    }
  }

  @Test
  void shouldDropQueuedRequestsOfADestroyedSessionWithoutSendingThem() {
    DhtNode small = testnet.add(o -> o.withMaxWindow(1));
    Session session = small.session();
    List<CompletableFuture<Response>> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(small.ping(silent.server(), RequestOptions.DEFAULT.withRetry(false).withSession(session)));
    }
    net.runFor(10);
    assertEquals(1, silent.received.size());
    session.destroy();
    net.runFor(3000);
    assertEquals(1, silent.received.size(), "the queued ones never left");
    assertTrue(all.stream().allMatch(f -> failure(f).code() == DhtException.Code.REQUEST_DESTROYED));
  }

  @Test
  void shouldCountAWalkThatCannotSendAsErrors() {
    List<CompletableFuture<Response>> flood = new ArrayList<>();
    for (int i = 0; i < 8192; i++) {
      flood.add(node.ping(silent.server(), RequestOptions.DEFAULT.withRetry(false)));
    }
    QueryResult<Response> r = net.await(node.findNode(new byte[32]).finished(), 100);
    assertTrue(r.errors() > 0, "every visit was refused");
    assertTrue(r.closestReplies().isEmpty());
    net.runFor(2000);
  }

  @Test
  void shouldBypassTheWindowWithForce() {
    DhtNode small = testnet.add(o -> o.withMaxWindow(1));
    QueryOptions forced = QueryOptions.DEFAULT.withForce(true);
    List<Query<Response>> qs = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      qs.add(small.findNode(new byte[32], forced.withNodes(List.of(silent.server())).withOnlyClosestNodes(true)));
    }
    net.runFor(10);
    assertEquals(3, silent.received.size(), "forced sends ignore the window");
    net.runFor(2000);
    assertEquals(3, silent.received.size(), "and are never resent");
  }

  @Test
  void shouldMatchResponsesByTidWhateverSocketTheyArriveOn() {
    CompletableFuture<Response> f = node.ping(silent.server(),
        RequestOptions.DEFAULT.withSocket(node.clientSocket()));
    net.runFor(10);
    RawPeer.Received req = silent.received.getFirst();
    assertEquals(node.clientSocket().localAddress(), req.from());
    // answer on the *server* socket, as a PING_NAT pong would arrive
    silent.runtime.serverSocket().send(
        new ResponseMessage(req.message().tid(), req.from(), null, null, List.of(), 0, null).encode(),
        node.serverSocket().localAddress());
    Response r = net.await(f, 100);
    assertEquals(silent.server(), r.from().address());
  }

  @Test
  void shouldMatchResponsesArrivingOnExtraSockets() {
    RawPeer puncher = new RawPeer(net);
    CompletableFuture<Response> f = node.ping(silent.server(), RequestOptions.DEFAULT);
    net.runFor(10);
    int tid = silent.received.getFirst().message().tid();
    byte[] reply = new ResponseMessage(tid, node.localAddress(), null, null, List.of(), 0, new byte[] {4}).encode();
    node.execute(() -> node.onMessage(puncher.runtime.serverSocket(), reply, silent.server()));
    node.execute(() -> node.onMessage(puncher.runtime.serverSocket(), new byte[] {1}, silent.server()));
    assertArrayEquals(new byte[] {4}, net.await(f, 100).value());
  }

  @Test
  void shouldUseDistinctTidsForEveryRequestInFlight() {
    for (int i = 0; i < 300; i++) {
      node.ping(silent.server(), RequestOptions.DEFAULT.withRetry(false));
    }
    net.runFor(5000);
    Set<Integer> tids = new HashSet<>();
    silent.received.forEach(r -> tids.add(r.message().tid()));
    assertEquals(300, tids.size());
  }

  @Test
  void shouldRefuseRequestsBeyondTheInflightCap() {
    List<CompletableFuture<Response>> all = new ArrayList<>();
    for (int i = 0; i < 8200; i++) {
      all.add(node.ping(silent.server(), RequestOptions.DEFAULT.withRetry(false)));
    }
    long overloaded = all.stream().filter(f -> f.isCompletedExceptionally()
        && failure(f).code() == DhtException.Code.OVERLOADED).count();
    assertTrue(overloaded >= 8, "cap reached: " + overloaded);
    assertTrue(node.stats().overloaded() >= 8);
    net.runFor(30_000);
  }

  @Test
  void shouldCancelEveryRequestOfADestroyedSessionAndNoOther() {
    Session session = node.session();
    CompletableFuture<Response> a = node.ping(silent.server(), RequestOptions.DEFAULT.withSession(session));
    CompletableFuture<Response> b = node.request(silent.server(), 3, null, null, null,
        RequestOptions.DEFAULT.withSession(session));
    CompletableFuture<Response> other = node.ping(silent.server(), RequestOptions.DEFAULT);
    net.runFor(10);
    session.destroy();
    net.runFor(10);
    assertEquals(DhtException.Code.REQUEST_DESTROYED, failure(a).code());
    assertEquals(DhtException.Code.REQUEST_DESTROYED, failure(b).code());
    assertFalse(other.isDone());
    net.runFor(other::isDone, 5000);
    assertEquals(DhtException.Code.REQUEST_TIMEOUT, failure(other).code());
  }

  @Test
  void shouldAcceptATokenForAtLeast7500MsAndAtMost15000Ms() {
    node.onRequest(req -> {
      req.reply(null);
      return true;
    });
    RawPeer client = new RawPeer(net);
    ResponseMessage first = client.onlyResponse(client.request(node.localAddress(), false, 9, null, null, null));
    byte[] token = first.token();
    assertNotNull(token);
    net.runFor(7000);
    assertEquals(0, client.onlyResponse(client.request(node.localAddress(), false, 9, null, null, token)).error());
    net.runFor(8000); // 15.2 s after it was handed out: two rotations later
    ResponseMessage late = client.onlyResponse(client.request(node.localAddress(), false, 9, null, null, token));
    assertEquals(Response.INVALID_TOKEN, late.error());
  }

  @Test
  void shouldFailEverythingInFlightWhenDestroyedAndRefuseLaterCalls() {
    DhtNode n = testnet.add(o -> o);
    CompletableFuture<Response> inflight = n.ping(silent.server());
    net.runFor(10);
    CompletableFuture<Void> destroyed = n.destroy();
    net.runFor(10);
    assertTrue(destroyed.isDone());
    assertTrue(n.destroyed());
    assertEquals(DhtException.Code.REQUEST_DESTROYED, failure(inflight).code());
    assertEquals(DhtException.Code.NODE_DESTROYED, failure(n.ping(silent.server())).code());
    Query<Response> q = n.findNode(new byte[32]);
    net.runFor(10);
    assertEquals(DhtException.Code.NODE_DESTROYED, failure(q.finished()).code());
    n.close();
  }

  @Test
  void shouldFailReadyWhenDestroyedBeforeBootstrapped() {
    DhtNode lonely = DhtNode.create(net.runtime(), NodeOptions.DEFAULT.withBootstrap(List.of(silent.server())));
    lonely.destroy();
    net.runFor(100);
    assertEquals(DhtException.Code.NODE_DESTROYED, failure(lonely.ready()).code());
  }

  @Test
  void shouldRejectBadArgumentsBeforeSending() {
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        failure(node.request(silent.server(), 1, new byte[3], null, null, RequestOptions.DEFAULT)).code());
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        failure(node.request(silent.server(), -1, null, null, null, RequestOptions.DEFAULT)).code());
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        failure(node.request(silent.server(), 1, null, null, new byte[31], RequestOptions.DEFAULT)).code());
    net.runFor(100);
    assertTrue(silent.received.isEmpty());
  }

  @Test
  void shouldSurviveHostileDatagramsAndKeepAnswering() {
    var random = io.hyperinfer.testkit.Seeds.random("dht-node-hostile");
    byte[][] seeds = {
        new RequestMessage(1, node.localAddress(), new byte[32], new byte[32], true, 2, new byte[32], new byte[8])
            .encode(),
        new ResponseMessage(2, node.localAddress(), new byte[32], new byte[32],
            List.of(new HostPort("1.2.3.4", 5)), 1, new byte[4]).encode()};
    HostPort to = node.localAddress();
    for (int i = 0; i < 20_000; i++) {
      byte[] base = seeds[i & 1];
      byte[] d = java.util.Arrays.copyOf(base, random.nextInt(base.length + 4));
      for (int k = random.nextInt(4); k >= 0 && d.length > 0; k--) {
        d[random.nextInt(d.length)] = (byte) random.nextInt(256);
      }
      silent.sendRaw(d, to);
      if (i % 500 == 0) {
        net.runFor(50);
      }
    }
    net.runFor(2000);
    assertTrue(node.stats().malformed() > 0);
    assertNotNull(net.await(node.ping(testnet.bootstrapper().localAddress()), 5000));
  }
}
