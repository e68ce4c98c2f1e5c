package io.hyperinfer.worker.net;

import static io.hyperinfer.worker.net.NetFixture.await;
import static io.hyperinfer.worker.net.NetFixture.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicTest {
  private final NetFixture net = new NetFixture(7);

  @AfterEach
  void tearDown() {
    net.close();
  }

  private MemoryNetFacility server(String name, String topic) {
    MemoryNetFacility s = net.peer();
    s.respond("who", call -> TextNode.valueOf(name));
    await(s.announce(topic));
    return s;
  }

  @Test
  void shouldFindAnnouncerWhenTopicIsAnnounced() {
    MemoryNetFacility a = server("a", "auth");
    MemoryNetFacility client = net.peer();
    assertEquals(List.of(new PeerRef(a.publicKey())), await(client.lookup("auth", true)));
    assertEquals(Set.of("auth"), a.announcedTopics());
    assertEquals("a", await(client.topicRequest("auth", "who", null)).asText());
  }

  @Test
  void shouldFailWithNoPeersWhenNobodyAnnounces() {
    MemoryNetFacility client = net.peer();
    assertEquals(NetException.ERR_NO_PEERS, failure(client.topicRequest("nobody", "who", null)).code());
    assertEquals(List.of(), await(client.lookup("nobody", false)));
  }

  @Test
  void shouldAnswerFromCacheWhenCachedLookupIsAsked() {
    MemoryNetFacility a = server("a", "t");
    MemoryNetFacility client = net.peer();
    await(client.lookup("t", true));
    MemoryNetFacility b = server("b", "t");
    assertEquals(1, await(client.lookup("t", true)).size());
    assertEquals(Set.of(new PeerRef(a.publicKey()), new PeerRef(b.publicKey())),
        new HashSet<>(await(client.lookup("t", false))));
  }

  @Test
  void shouldStopListingPeerWhenItUnannounces() {
    MemoryNetFacility a = server("a", "t");
    MemoryNetFacility client = net.peer();
    await(a.unannounce("t"));
    assertEquals(List.of(), await(client.lookup("t", false)));
    assertEquals(Set.of(), a.announcedTopics());
  }

  @Test
  void shouldExpireAnnouncementWhenNotRefreshedWithinTtl() {
    net.network.setAnnounceTtl(Duration.ofMinutes(5));
    MemoryNetFacility a = server("a", "t");
    MemoryNetFacility client = net.peer();
    net.network.failPeer(a.publicKey());
    net.advance(Duration.ofMinutes(4));
    assertEquals(1, await(client.lookup("t", false)).size());
    net.advance(Duration.ofMinutes(2));
    assertEquals(List.of(), await(client.lookup("t", false)));
  }

  @Test
  void shouldReannouncePeriodicallyWhenTopicStaysAnnounced() {
    net.network.setAnnounceTtl(Duration.ofMinutes(15));
    MemoryNetFacility client = net.peer();
    MemoryNetFacility a = net.peer("facs.net.announceInterval=\"10m\"");
    await(a.announce("t"));
    for (int i = 0; i < 5; i++) {
      net.advance(Duration.ofMinutes(10));
    }
    assertEquals(List.of(new PeerRef(a.publicKey())), await(client.lookup("t", false)));
    await(a.unannounce("t"));
    net.advance(Duration.ofMinutes(20));
    assertEquals(List.of(), await(client.lookup("t", false)));
  }

  @Test
  void shouldRetryOnAnotherAnnouncerWhenChosenPeerIsStale() {
    MemoryNetFacility a = server("a", "t");
    MemoryNetFacility b = server("b", "t");
    MemoryNetFacility client = net.peer();
    assertEquals(2, await(client.lookup("t", true)).size());
    net.network.failPeer(a.publicKey());
    for (int i = 0; i < 10; i++) {
      assertEquals("b", await(client.topicRequest("t", "who", null)).asText());
    }
  }

  @Test
  void shouldRetryWithFreshLookupWhenCachedPeerLeftWithoutNotice() {
    MemoryNetFacility a = server("a", "t");
    MemoryNetFacility client = net.peer();
    await(client.lookup("t", true));
    // a crashes silently (no connection between client and a yet), b takes over
    net.network.failPeer(a.publicKey());
    server("b", "t");
    assertEquals("b", await(client.topicRequest("t", "who", null)).asText());
  }

  @Test
  void shouldGiveUpWithLastErrorWhenEveryAnnouncerIsStale() {
    MemoryNetFacility a = server("a", "t");
    MemoryNetFacility b = server("b", "t");
    MemoryNetFacility client = net.peer();
    net.network.failPeer(a.publicKey());
    net.network.failPeer(b.publicKey());
    NetException e = failure(client.topicRequest("t", "who", null));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, e.code());
  }

  @Test
  void shouldNotRetryWhenErrorComesFromHandler() {
    MemoryNetFacility a = net.peer();
    a.respond("who", call -> {
      throw NetException.badRequest("no");
    });
    await(a.announce("t"));
    server("b", "t");
    MemoryNetFacility client = net.peer();
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
    MemoryNetFacility client = net.peer();
    net.network.setFailureRate(1.0);
    NetException e = failure(client.topicRequest("t", "who", null, RequestOptions.DEFAULT.withAttempts(2)));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, e.code());
    assertEquals(2, net.registry.get("hyperinfer.rpc.client").tag("outcome", NetException.ERR_PEER_UNAVAILABLE)
        .timer().count());
  }

  @Test
  void shouldCollectEveryReplyWhenRequestingAllAnnouncers() {
    server("a", "t");
    server("b", "t");
    MemoryNetFacility broken = net.peer();
    await(broken.announce("t"));
    MemoryNetFacility client = net.peer();
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
    MemoryNetFacility client = net.peer();
    assertEquals(List.of(), await(client.topicRequestAll("none", "who", null)));
  }

  @Test
  void shouldUnannounceWhenFacilityStops() {
    MemoryNetFacility a = server("a", "t");
    MemoryNetFacility client = net.peer();
    a.stop();
    assertEquals(List.of(), await(client.lookup("t", false)));
  }
}
