package io.hyperinfer.worker.net.spi;

import static io.hyperinfer.worker.net.spi.NetFixture.await;
import static io.hyperinfer.worker.net.spi.NetFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.PeerReply;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicTest {
  private final NetFixture<LoopbackNetwork> net = NetFixture.loopback(7);

  @AfterEach
  void tearDown() {
    net.close();
  }

  private TransportNetFacility server(String name, String topic) {
    TransportNetFacility s = net.peer();
    s.respond("who", call -> TextNode.valueOf(name));
    await(s.announce(topic));
    return s;
  }

  @Test
  void shouldFindAnnouncerWhenTopicIsAnnounced() {
    TransportNetFacility a = server("a", "auth");
    TransportNetFacility client = net.peer();
    assertEquals(List.of(new PeerRef(a.publicKey())), await(client.lookup("auth", true)));
    assertEquals(Set.of("auth"), a.announcedTopics());
    assertEquals("a", await(client.topicRequest("auth", "who", null)).asText());
  }

  @Test
  void shouldFailWithNoPeersWhenNobodyAnnounces() {
    TransportNetFacility client = net.peer();
    assertEquals(NetException.ERR_NO_PEERS, failure(client.topicRequest("nobody", "who", null)).code());
    assertEquals(List.of(), await(client.lookup("nobody", false)));
  }

  @Test
  void shouldAnswerFromCacheWhenCachedLookupIsAsked() {
    TransportNetFacility a = server("a", "t");
    TransportNetFacility client = net.peer();
    await(client.lookup("t", true));
    TransportNetFacility b = server("b", "t");
    assertEquals(1, await(client.lookup("t", true)).size());
    assertEquals(Set.of(new PeerRef(a.publicKey()), new PeerRef(b.publicKey())),
        new HashSet<>(await(client.lookup("t", false))));
  }

  @Test
  void shouldStopListingPeerWhenItUnannounces() {
    TransportNetFacility a = server("a", "t");
    TransportNetFacility client = net.peer();
    await(a.unannounce("t"));
    assertEquals(List.of(), await(client.lookup("t", false)));
    assertEquals(Set.of(), a.announcedTopics());
  }

  @Test
  void shouldReannouncePeriodicallyWhenTopicStaysAnnounced() {
    TransportNetFacility client = net.peer();
    TransportNetFacility a = net.peer("facs.net.announceInterval=\"10m\"");
    await(a.announce("t"));
    for (int i = 0; i < 5; i++) {
      net.advance(Duration.ofMinutes(10));
    }
    assertEquals(6, net.network.announcements());
    assertEquals(List.of(new PeerRef(a.publicKey())), await(client.lookup("t", false)));
    await(a.unannounce("t"));
    net.advance(Duration.ofMinutes(20));
    assertEquals(6, net.network.announcements());
    assertEquals(List.of(), await(client.lookup("t", false)));
  }

  @Test
  void shouldRetryOnAnotherAnnouncerWhenChosenPeerIsStale() {
    TransportNetFacility a = server("a", "t");
    TransportNetFacility b = server("b", "t");
    TransportNetFacility client = net.peer();
    assertEquals(2, await(client.lookup("t", true)).size());
    net.network.crash(a.publicKey());
    for (int i = 0; i < 10; i++) {
      assertEquals("b", await(client.topicRequest("t", "who", null)).asText());
    }
  }

  @Test
  void shouldRetryWithFreshLookupWhenCachedPeerLeftWithoutNotice() {
    TransportNetFacility a = server("a", "t");
    TransportNetFacility client = net.peer();
    await(client.lookup("t", true));
    // a crashes silently (no connection between client and a yet), b takes over
    net.network.crash(a.publicKey());
    server("b", "t");
    assertEquals("b", await(client.topicRequest("t", "who", null)).asText());
  }

  @Test
  void shouldGiveUpWithLastErrorWhenEveryAnnouncerIsStale() {
    TransportNetFacility a = server("a", "t");
    TransportNetFacility b = server("b", "t");
    TransportNetFacility client = net.peer();
    net.network.crash(a.publicKey());
    net.network.crash(b.publicKey());
    NetException e = failure(client.topicRequest("t", "who", null));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, e.code());
  }

  @Test
  void shouldNotRetryWhenErrorComesFromHandler() {
    TransportNetFacility a = net.peer();
    a.respond("who", call -> {
      throw NetException.badRequest("no");
    });
    await(a.announce("t"));
    server("b", "t");
    TransportNetFacility client = net.peer();
    int bad = 0;
    for (int i = 0; i < 20; i++) {
      try {
        await(client.topicRequest("t", "who", null));
      } catch (AssertionError e) {
        assertEquals(NetException.ERR_BAD_REQUEST, ((NetException) e.getCause().getCause()).code());
        bad++;
      }
    }
    assertTrue(bad > 0 && bad < 20, "both announcers should be picked, bad=" + bad);
  }

  @Test
  void shouldStopAfterConfiguredAttemptsWhenPeersKeepFailing() {
    for (int i = 0; i < 4; i++) {
      server("s" + i, "t");
    }
    TransportNetFacility client = net.peer();
    await(client.lookup("t", true)).forEach(p -> net.network.crash(p.publicKey()));
    NetException e = failure(client.topicRequest("t", "who", null, RequestOptions.DEFAULT.withAttempts(2)));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, e.code());
    assertEquals(2, net.registry.get("hyperinfer.rpc.client").tag("outcome", NetException.ERR_PEER_UNAVAILABLE)
        .timer().count());
  }

  @Test
  void shouldCollectEveryReplyWhenRequestingAllAnnouncers() {
    server("a", "t");
    server("b", "t");
    TransportNetFacility broken = net.peer();
    await(broken.announce("t"));
    TransportNetFacility client = net.peer();
    List<PeerReply> replies = await(client.topicRequestAll("t", "who", null));
    assertEquals(3, replies.size());
    Set<String> names = new HashSet<>();
    for (PeerReply r : replies) {
      if (r.isOk()) {
        names.add(r.result().asText());
      } else {
        assertEquals(new PeerRef(broken.publicKey()), r.peer());
        assertEquals(NetException.ERR_UNKNOWN_METHOD, r.error().code());
      }
    }
    assertEquals(Set.of("a", "b"), names);
  }

  @Test
  void shouldReturnEmptyListWhenNobodyAnnouncesForFanOut() {
    TransportNetFacility client = net.peer();
    assertEquals(List.of(), await(client.topicRequestAll("none", "who", null)));
  }

  @Test
  void shouldUnannounceWhenFacilityStops() {
    TransportNetFacility a = server("a", "t");
    TransportNetFacility client = net.peer();
    a.stop();
    assertEquals(List.of(), await(client.lookup("t", false)));
  }
}
