package io.hyperinfer.swarm;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.BlindRelayServer;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.ConnectTrace;
import io.hyperinfer.hyperdht.HolepunchVeto;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.hyperdht.RelayThrough;
import io.hyperinfer.hyperdht.ServerOptions;
import io.hyperinfer.hyperdht.Testnet;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two Java swarms connected through a Java blind relay on 127.0.0.1 (JS hyperswarm's {@code relayThrough}): firewalled
 * nodes, no LAN shortcut and no punch on the accepting side, as hyperdht's BlindRelayIT sets them up.
 */
@Timeout(180)
class SwarmRelayIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Testnet net;
  private static BlindRelayServer relay;
  private static byte[] relayKey;

  @BeforeAll
  static void network() throws Exception {
    net = Testnet.create(6);
    HyperDht relayNode = net.createNode();
    relay = new BlindRelayServer(relayNode);
    HyperDhtServer server = relayNode.createServer(ServerOptions.DEFAULT, relay);
    server.listen(SwarmPeer.keyPair(90)).get(30, TimeUnit.SECONDS);
    relayKey = server.publicKey();
  }

  @AfterAll
  static void close() {
    if (relay != null) {
      relay.close();
    }
    if (net != null) {
      net.close();
    }
  }

  private static HyperDht firewalledNode() {
    return net.createNode(o -> o.withNode(o.node().withQuickFirewall(false)));
  }

  private static SwarmOptions options(RelayPolicy policy, List<ConnectTrace> traces) {
    return SwarmOptions.DEFAULT
        .withServer(ServerOptions.DEFAULT.withShareLocalAddress(false).withHolepunch(HolepunchVeto.NEVER))
        .withConnect(ConnectOptions.DEFAULT.withLocalConnection(false).withTraceSink(traces::add))
        .withRelay(policy);
  }

  @Test
  void shouldConnectTwoSwarmsThroughTheRelayWhenToldToAlways() throws Exception {
    RelayPolicy always = RelayPolicy.always(RelayThrough.of(relayKey));
    assertConnectThroughRelay(81, always, always);
  }

  @Test
  void shouldConnectThroughTheRelayWhenOnlyTheAcceptingSwarmAsks() throws Exception {
    assertConnectThroughRelay(83, RelayPolicy.always(RelayThrough.of(relayKey)), null);
  }

  @Test
  void shouldFallBackToTheRelayWhenADirectDialCannotPunch() throws Exception {
    // JS relays a static relayThrough only when forced (or behind a randomizing NAT): the dialer here refuses to punch
    // (JS opts.holepunch returning false), so its first dial fails with HOLEPUNCH_ABORTED and the retry is relayed.
    // That failed dial counts as an attempt of a peer never connected, so JS's retry waits the medium backoff (5-6 s):
    // the dialer here retries after REDIALS_FAST's waits instead
    RelayPolicy whenNeeded = RelayPolicy.whenNeeded(RelayThrough.anyOf(List.of(relayKey)));
    SwarmOptions accepting = options(whenNeeded, new CopyOnWriteArrayList<>())
        .withServer(ServerOptions.DEFAULT.withShareLocalAddress(false));
    List<ConnectTrace> traces = new CopyOnWriteArrayList<>();
    SwarmOptions refusingToPunch = options(whenNeeded, traces)
        .withBackoffs(SwarmPeer.REDIALS_FAST.backoffsMs(), SwarmPeer.REDIALS_FAST.jitterMs())
        .withConnect(ConnectOptions.DEFAULT
        .withLocalConnection(false).withFastOpen(false).withHolepunch(HolepunchVeto.NEVER).withTraceSink(traces::add));
    assertConnectThroughRelay(85, accepting, refusingToPunch, traces);
    assertTrue(traces.getFirst().toString().contains("HOLEPUNCH_ABORTED"), traces.toString());
  }

  private void assertConnectThroughRelay(int seed, RelayPolicy accepting, RelayPolicy dialing) throws Exception {
    List<ConnectTrace> traces = new CopyOnWriteArrayList<>();
    assertConnectThroughRelay(seed, options(accepting, traces), options(dialing, traces), traces);
  }

  /**
   * Swarm {@code seed} accepts on a topic, swarm {@code seed + 1} finds and dials it; the connection that opens is
   * relayed ({@code traces}: the dialer's connect traces).
   */
  private void assertConnectThroughRelay(int seed, SwarmOptions accepting, SwarmOptions dialing,
      List<ConnectTrace> traces) throws Exception {
    long matched = relay.stats().pairingsMatched();
    try (HyperDht aNode = firewalledNode(); HyperDht bNode = firewalledNode();
        SwarmPeer a = new SwarmPeer(aNode, seed, accepting);
        SwarmPeer b = new SwarmPeer(bNode, seed + 1, dialing)) {
      byte[] t = HyperDhtCrypto.hash(("relayed-" + seed).getBytes(StandardCharsets.UTF_8));
      a.swarm.join(t, true, false).flushed().join();
      b.swarm.join(t, false, true).flushed().join();
      b.swarm.flush().join();
      await().atMost(WAIT).untilAsserted(() -> assertTrue(a.to(b) != null && b.to(a) != null,
          () -> "not connected; the dials' traces: " + traces));

      assertTrue(b.pingPong(a.keys.publicKey(), "through-the-relay"));
      assertTrue(a.pingPong(b.keys.publicKey(), "and-back"));
      ConnectTrace opened = traces.stream().filter(tr -> tr.path() != null).findFirst().orElseThrow();
      assertEquals(ConnectTrace.Path.RELAYED, opened.path(), traces.toString());
      assertTrue(relay.stats().pairingsMatched() > matched, "the relay paired the two");
      assertTrue(bNode.relayStats().successes() >= 1, bNode.relayStats().toString());
    }
  }
}
