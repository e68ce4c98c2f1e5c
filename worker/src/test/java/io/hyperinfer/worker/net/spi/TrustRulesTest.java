package io.hyperinfer.worker.net.spi;

import static io.hyperinfer.worker.net.spi.NetFixture.await;
import static io.hyperinfer.worker.net.spi.NetFixture.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Trust rules on announcers, the predicate firewall, and topics keyed by the network. */
class TrustRulesTest {
  private final NetFixture<LoopbackNetwork> net = NetFixture.loopback(7);
  private final Set<PeerRef> rostered = ConcurrentHashMap.newKeySet();

  @AfterEach
  void tearDown() {
    net.close();
  }

  @Test
  void shouldLeaveUntrustedAnnouncersOutWhenARuleCoversTheTopic() {
    TransportNetFacility member = net.peer();
    TransportNetFacility stranger = net.peer();
    TransportNetFacility caller = net.peer();
    for (TransportNetFacility f : List.of(member, stranger)) {
      f.respond("who", call -> TextNode.valueOf("x"));
      await(f.announce("svc/model/a"));
      await(f.announce("svc/open"));
    }
    PeerRef m = new PeerRef(member.publicKey());
    rostered.add(m);
    assertEquals(2, await(caller.lookup("svc/model/a", true)).size(), "no rule yet");

    caller.trustAnnouncers("svc/model/", rostered::contains);

    assertEquals(List.of(m), await(caller.lookup("svc/model/a", true)), "the cached result is filtered too");
    assertEquals(List.of(m), await(caller.lookup("svc/model/a", false)));
    assertEquals(2, await(caller.lookup("svc/open", false)).size(), "topics outside the prefix keep all");
    for (int i = 0; i < 10; i++) {
      assertEquals("x", await(caller.topicRequest("svc/model/a", "who", null)).asText());
    }
    rostered.clear();
    assertEquals(List.of(), await(caller.lookup("svc/model/a", true)), "a revoked member drops out at once");
    assertEquals(NetException.ERR_NO_PEERS, failure(caller.topicRequest("svc/model/a", "who", null)).code());
    assertEquals(List.of(), await(caller.topicRequestAll("svc/model/a", "who", null)));
  }

  @Test
  void shouldApplyRulesGivenBeforeStartWhenTheFacilityStarts() {
    TransportNetFacility announcer = net.peer();
    await(announcer.announce("svc/x"));
    TransportNetFacility early = net.network.facility();
    early.trustAnnouncers("svc/x", p -> false);
    early.start(new FacilityContext(new WorkerContext("test", "test", "early"), Config.empty(), net.clock,
        net.registry, () -> Ed25519.fromSeed(new byte[32])));
    try {
      assertEquals(List.of(), await(early.lookup("svc/x", false)));
    } finally {
      early.stop();
    }
  }

  @Test
  void shouldAskThePredicateOnEveryRequestWhenTheFirewallFollowsARoster() {
    TransportNetFacility server = net.peer();
    TransportNetFacility client = net.peer();
    server.respond("ping", call -> TextNode.valueOf("pong"));
    server.allowOnly(rostered::contains);

    assertEquals(NetException.ERR_FORBIDDEN, failure(client.request(server.publicKey(), "ping", null)).code());
    rostered.add(new PeerRef(client.publicKey()));
    assertEquals("pong", await(client.request(server.publicKey(), "ping", null)).asText());
    rostered.clear();
    assertEquals(NetException.ERR_FORBIDDEN, failure(client.request(server.publicKey(), "ping", null)).code());
  }

  @Test
  void shouldMeetOnlyPeersOfTheSameNetworkWhenTopicsAreKeyed() {
    String ours = NetworkKey.generate().hex();
    TransportNetFacility a = net.peer("network.key=" + ours);
    TransportNetFacility b = net.peer("network.key=" + ours);
    TransportNetFacility theirs = net.peer("network.key=" + NetworkKey.generate().hex());
    TransportNetFacility plain = net.peer();
    await(a.announce("svc/t"));

    assertEquals(List.of(new PeerRef(a.publicKey())), await(b.lookup("svc/t", false)));
    assertEquals(List.of(), await(theirs.lookup("svc/t", false)));
    assertEquals(List.of(), await(plain.lookup("svc/t", false)));
    assertArrayEquals(Topics.key("svc/t"), Topics.keys(null).apply("svc/t"));
    assertArrayEquals(NetworkKey.parse(ours).topic("svc/t"),
        Topics.keys(NetworkKey.parse(ours).publicKey()).apply("svc/t"));
  }
}
