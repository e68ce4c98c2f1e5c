package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.LookupReply;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.testkit.Seeds;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** persistent.js's announce, unannounce, refresh, lookup and find-peer roles on virtual time. */
class RecordStorageTest {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final byte[] NODE_ID = HyperDhtCrypto.hash("node".getBytes());
  static final byte[] TOKEN = HyperDhtCrypto.hash("token".getBytes());
  static final byte[] TOPIC = HyperDhtCrypto.hash("topic".getBytes());
  static final HostPort FROM = new HostPort("10.0.0.7", 4000);
  static final List<HostPort> FOUR_RELAYS = List.of(new HostPort("1.1.1.1", 1), new HostPort("2.2.2.2", 2),
      new HostPort("3.3.3.3", 3), new HostPort("4.4.4.4", 4));

  final ManualClock clock = new ManualClock(START);
  final DropCounter drops = new DropCounter();
  final Router router = new Router(1000, Duration.ofMinutes(20), clock, drops);
  final RecordStorage storage = new RecordStorage(router, CacheOptions.defaults(), clock,
      Seeds.random("RecordStorageTest"), drops);

  void at(Duration d) {
    clock.set(START.plus(d));
  }

  static ReceivedRequest req(Command c, byte[] target, byte[] token, byte[] value) {
    return new ReceivedRequest(c.id(), target, token, token != null, value, FROM);
  }

  static byte[] announce(KeyPair kp, byte[] target, List<HostPort> relays, byte[] refresh, long bump,
      boolean unannounce) {
    Peer peer = new Peer(kp.publicKey(), relays);
    Announce unsigned = new Announce(peer, refresh, null, bump);
    byte[] sig = unannounce ? Signatures.signUnannounce(target, TOKEN, NODE_ID, unsigned, kp)
        : Signatures.signAnnounce(target, TOKEN, NODE_ID, unsigned, kp);
    return Compact.encode(Announce.CODEC, new Announce(peer, refresh, sig, bump));
  }

  Outcome doAnnounce(KeyPair kp, byte[] target, List<HostPort> relays, byte[] refresh, long bump) {
    return storage.onAnnounce(req(Command.ANNOUNCE, target, TOKEN, announce(kp, target, relays, refresh, bump, false)),
        NODE_ID);
  }

  LookupReply lookup(byte[] target) {
    Outcome.Reply reply = assertInstanceOf(Outcome.Reply.class, storage.onLookup(req(Command.LOOKUP, target, null,
        null)));
    assertTrue(reply.withToken());
    assertTrue(reply.withCloserNodes());
    return reply.value() == null ? null : LookupReply.CODEC.decode(Buf.wrap(reply.value()));
  }

  @Test
  void shouldStoreASignedTopicAnnounceAndReturnItFromLookup() {
    KeyPair kp = HyperDhtCrypto.keyPair();
    Outcome.Reply ack = assertInstanceOf(Outcome.Reply.class, doAnnounce(kp, TOPIC, FOUR_RELAYS, null, 0));
    assertNull(ack.value());
    assertFalse(ack.withToken(), "an announce is acknowledged without a token");
    assertFalse(ack.withCloserNodes());
    LookupReply found = lookup(TOPIC);
    assertEquals(1, found.peers().size());
    assertArrayEquals(kp.publicKey(), found.peers().getFirst().publicKey());
    assertEquals(FOUR_RELAYS.subList(0, 3), found.peers().getFirst().relayAddresses(),
        "signed over four relays, stored with three");
    assertEquals(0, found.bump());
    assertNull(lookup(HyperDhtCrypto.hash("elsewhere".getBytes())));
    assertEquals(1, storage.recordCount());
  }

  @Test
  void shouldDropAnnouncesSilentlyWhenTheyAreNotSignedForThisNodeAndToken() {
    KeyPair kp = HyperDhtCrypto.keyPair();
    byte[] value = announce(kp, TOPIC, List.of(), null, 0, false);
    assertEquals(new Outcome.Drop(DropReason.BAD_SIGNATURE),
        storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, TOKEN, value), HyperDhtCrypto.hash("other".getBytes())));
    byte[] otherToken = HyperDhtCrypto.hash("other token".getBytes());
    assertEquals(new Outcome.Drop(DropReason.BAD_SIGNATURE),
        storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, otherToken, value), NODE_ID));
    assertEquals(new Outcome.Drop(DropReason.BAD_SIGNATURE), storage.onAnnounce(
        req(Command.ANNOUNCE, TOPIC, TOKEN, announce(kp, TOPIC, List.of(), null, 0, true)), NODE_ID),
        "an unannounce signature does not store");
    assertEquals(new Outcome.Drop(DropReason.MISSING_TOKEN),
        storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, null, value), NODE_ID));
    assertEquals(new Outcome.Drop(DropReason.MISSING_TARGET),
        storage.onAnnounce(req(Command.ANNOUNCE, null, TOKEN, value), NODE_ID));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, TOKEN, null), NODE_ID));
    assertEquals(new Outcome.Drop(DropReason.MALFORMED_VALUE),
        storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, TOKEN, new byte[] {1, 2}), NODE_ID));
    byte[] unsigned = Compact.encode(Announce.CODEC, new Announce(new Peer(kp.publicKey(), List.of()), null, null, 0));
    assertEquals(new Outcome.Drop(DropReason.MISSING_SIGNATURE),
        storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, TOKEN, unsigned), NODE_ID));
    byte[] empty = Compact.encode(Announce.CODEC, new Announce(null, null, null, 0));
    assertEquals(new Outcome.Drop(DropReason.MISSING_SIGNATURE),
        storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, TOKEN, empty), NODE_ID));
    assertNull(lookup(TOPIC));
    assertEquals(9, drops.total());
  }

  @Test
  void shouldRouteASelfAnnounceToItsSourceAddressAndAnswerFindPeer() {
    KeyPair kp = HyperDhtCrypto.keyPair();
    byte[] target = HyperDhtCrypto.hash(kp.publicKey());
    assertInstanceOf(Outcome.Reply.class, doAnnounce(kp, target, List.of(), null, 0));
    Route route = router.get(Bytes32.of(target)).orElseThrow();
    assertEquals(FROM, route.relay(), "handshakes for the server go where its announce came from");
    assertFalse(route.localServer());
    Outcome.Reply found = assertInstanceOf(Outcome.Reply.class,
        storage.onFindPeer(req(Command.FIND_PEER, target, null, null)));
    assertTrue(found.withToken());
    assertTrue(found.withCloserNodes());
    assertArrayEquals(kp.publicKey(), Peer.CODEC.decode(Buf.wrap(found.value())).publicKey());
    assertEquals(0, storage.recordCount(), "a self announce lives in the router, not the records");
    assertEquals(1, lookup(target).peers().size(), "lookup appends the route's record");
    assertNull(assertInstanceOf(Outcome.Reply.class,
        storage.onFindPeer(req(Command.FIND_PEER, TOPIC, null, null))).value());
    assertEquals(new Outcome.Drop(DropReason.MISSING_TARGET), storage.onFindPeer(req(Command.FIND_PEER, null, null,
        null)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_TARGET), storage.onLookup(req(Command.LOOKUP, null, null, null)));
  }

  @Test
  void shouldReturnTwentyRandomRecordsAndLeaveNoRoomForTheRouteWhenTheTopicIsFull() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 25; i++) {
      doAnnounce(HyperDhtCrypto.keyPair(), TOPIC, List.of(), null, 0);
    }
    for (int round = 0; round < 50; round++) {
      LookupReply r = lookup(TOPIC);
      assertEquals(20, r.peers().size());
      r.peers().forEach(p -> seen.add(java.util.HexFormat.of().formatHex(p.publicKey())));
    }
    assertEquals(25, seen.size(), "the subset is random");
  }

  @Test
  void shouldRemoveTheRecordAndTheRouteWhenUnannounced() {
    KeyPair kp = HyperDhtCrypto.keyPair();
    byte[] self = HyperDhtCrypto.hash(kp.publicKey());
    doAnnounce(kp, TOPIC, List.of(), null, 0);
    doAnnounce(kp, self, List.of(), null, 0);
    assertEquals(new Outcome.Drop(DropReason.BAD_SIGNATURE), storage.onUnannounce(
        req(Command.UNANNOUNCE, TOPIC, TOKEN, announce(kp, TOPIC, List.of(), null, 0, false)), NODE_ID));
    Outcome.Reply ack = assertInstanceOf(Outcome.Reply.class, storage.onUnannounce(
        req(Command.UNANNOUNCE, TOPIC, TOKEN, announce(kp, TOPIC, List.of(), null, 0, true)), NODE_ID));
    assertFalse(ack.withToken());
    assertNull(lookup(TOPIC));
    storage.onUnannounce(req(Command.UNANNOUNCE, self, TOKEN, announce(kp, self, List.of(), null, 0, true)), NODE_ID);
    assertTrue(router.get(Bytes32.of(self)).isEmpty());
    byte[] noSig = Compact.encode(Announce.CODEC, new Announce(new Peer(kp.publicKey(), List.of()), null, null, 0));
    assertEquals(new Outcome.Drop(DropReason.MISSING_SIGNATURE),
        storage.onUnannounce(req(Command.UNANNOUNCE, TOPIC, TOKEN, noSig), NODE_ID));
    assertEquals(new Outcome.Drop(DropReason.MISSING_TOKEN),
        storage.onUnannounce(req(Command.UNANNOUNCE, TOPIC, null, noSig), NODE_ID));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        storage.onUnannounce(req(Command.UNANNOUNCE, TOPIC, TOKEN, null), NODE_ID));
    assertEquals(new Outcome.Drop(DropReason.MALFORMED_VALUE),
        storage.onUnannounce(req(Command.UNANNOUNCE, TOPIC, TOKEN, new byte[] {9}), NODE_ID));
  }

  @Test
  void shouldExpireTopicRecordsBetweenThirteenAndTwentySevenMinutes() {
    doAnnounce(HyperDhtCrypto.keyPair(), TOPIC, List.of(), null, 0);
    at(Duration.ofMillis(1_600_000 - 1));
    assertEquals(1, lookup(TOPIC).peers().size(), "still there at 26.7 min minus 1 ms");
    at(Duration.ofMillis(1_600_000));
    assertNull(lookup(TOPIC), "gone at 26.7 min");
    at(Duration.ofMillis(2_400_000 - 1));
    doAnnounce(HyperDhtCrypto.keyPair(), TOPIC, List.of(), null, 0);
    at(Duration.ofMillis(3_200_000 - 1));
    assertEquals(1, lookup(TOPIC).peers().size());
    at(Duration.ofMillis(3_200_000));
    assertNull(lookup(TOPIC), "gone 13.3 min after an announce made just before a tick");
  }

  @Test
  void shouldKeepARecordAliveWhenTheAnnouncerRefreshesItsChain() {
    KeyPair kp = HyperDhtCrypto.keyPair();
    byte[] r2 = HyperDhtCrypto.hash("seed".getBytes());
    byte[] r1 = HyperDhtCrypto.hash(r2);
    byte[] r0 = HyperDhtCrypto.hash(r1);
    doAnnounce(kp, TOPIC, List.of(), r0, 0);
    at(Duration.ofMinutes(20));
    assertEquals(Outcome.Reply.bare(), refresh(r1));
    at(Duration.ofMinutes(39));
    assertEquals(1, lookup(TOPIC).peers().size(), "the refresh at 20 min re-added the record");
    assertEquals(Outcome.Reply.bare(), refresh(r2));
    assertEquals(new Outcome.Drop(DropReason.UNKNOWN_REFRESH), refresh(r2), "each link is used once");
    assertEquals(new Outcome.Drop(DropReason.UNKNOWN_REFRESH), refresh(r0));
  }

  @Test
  void shouldMoveTheRouteToTheRefreshersAddressWhenAServerRefreshes() {
    KeyPair kp = HyperDhtCrypto.keyPair();
    byte[] self = HyperDhtCrypto.hash(kp.publicKey());
    byte[] r1 = HyperDhtCrypto.hash("next".getBytes());
    doAnnounce(kp, self, List.of(), HyperDhtCrypto.hash(r1), 0);
    HostPort moved = new HostPort("10.9.9.9", 9);
    byte[] value = Compact.encode(Announce.CODEC, new Announce(null, r1, null, 0));
    assertEquals(Outcome.Reply.bare(), storage.onAnnounce(new ReceivedRequest(Command.ANNOUNCE.id(), self, TOKEN,
        true, value, moved), NODE_ID));
    assertEquals(moved, router.get(Bytes32.of(self)).orElseThrow().relay());
  }

  private Outcome refresh(byte[] link) {
    byte[] value = Compact.encode(Announce.CODEC, new Announce(null, link, null, 0));
    return storage.onAnnounce(req(Command.ANNOUNCE, TOPIC, TOKEN, value), NODE_ID);
  }

  @Test
  void shouldAcceptABumpOnlyWhenItIsHigherAndAtMostOneMinuteAhead() {
    long now = START.toEpochMilli();
    doAnnounce(HyperDhtCrypto.keyPair(), TOPIC, List.of(), null, now + 30_000);
    assertEquals(now + 30_000, lookup(TOPIC).bump());
    doAnnounce(HyperDhtCrypto.keyPair(), TOPIC, List.of(), null, now + 10_000);
    assertEquals(now + 30_000, lookup(TOPIC).bump(), "lower bumps are ignored");
    doAnnounce(HyperDhtCrypto.keyPair(), TOPIC, List.of(), null, now + 60_001);
    assertEquals(now + 30_000, lookup(TOPIC).bump(), "more than 60 s ahead is ignored");
    doAnnounce(HyperDhtCrypto.keyPair(), TOPIC, List.of(), null, now + 60_000);
    assertEquals(now + 60_000, lookup(TOPIC).bump(), "exactly the drift is accepted");
    assertEquals(4, lookup(TOPIC).peers().size(), "the records are stored whatever the bump");
    KeyPair kp = HyperDhtCrypto.keyPair();
    byte[] self = HyperDhtCrypto.hash(kp.publicKey());
    doAnnounce(kp, self, List.of(), null, now + 1);
    assertEquals(0, lookup(self).bump(), "a server's self announce carries no bump");
  }

  @Test
  void shouldServeRegisteredPluginsOnly() {
    storage.registerPlugin("blind-relay", 1);
    byte[] ok = Compact.encode(io.hyperinfer.hyperdht.wire.PluginRequest.CODEC,
        new io.hyperinfer.hyperdht.wire.PluginRequest("blind-relay", 1, 0, null));
    byte[] old = Compact.encode(io.hyperinfer.hyperdht.wire.PluginRequest.CODEC,
        new io.hyperinfer.hyperdht.wire.PluginRequest("blind-relay", 0, 0, null));
    assertEquals("blind-relay", assertInstanceOf(Decision.ToPlugin.class,
        storage.onPlugin(req(Command.PLUGIN, null, null, ok))).request().plugin());
    assertEquals(new Outcome.Drop(DropReason.NO_PLUGIN), storage.onPlugin(req(Command.PLUGIN, null, null, old)));
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE), storage.onPlugin(req(Command.PLUGIN, null, null, null)));
    assertEquals(new Outcome.Drop(DropReason.MALFORMED_VALUE),
        storage.onPlugin(req(Command.PLUGIN, null, null, new byte[] {5})));
  }
}
