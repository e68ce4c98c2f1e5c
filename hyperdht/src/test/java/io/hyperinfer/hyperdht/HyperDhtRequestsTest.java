package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.PluginRequest;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.testkit.Seeds;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** index.js onrequest: which role answers, and what a node that is not persistent says. */
class HyperDhtRequestsTest {
  private static final HostPort FROM = new HostPort("10.0.0.1", 1);
  private static final byte[] ID = new byte[32];
  private static final byte[] TARGET = HyperDhtCrypto.hash(new byte[] {1});

  private final ManualClock clock = new ManualClock();
  private final DropCounter drops = new DropCounter();
  private final Router router = new Router(10, Duration.ofMinutes(20), clock, drops);
  private final RecordStorage storage = new RecordStorage(router, CacheOptions.of(64, Duration.ofMinutes(5)), clock,
      Seeds.random("HyperDhtRequestsTest"), drops);

  private static ReceivedRequest req(long command, byte[] token, boolean valid, byte[] value) {
    return new ReceivedRequest(command, TARGET, token, valid, value, FROM);
  }

  @Test
  void shouldAnswerInvalidTokenWithAFreshOneBeforeAnyRoleRuns() {
    Outcome.ErrorReply e = assertInstanceOf(Outcome.ErrorReply.class,
        HyperDhtRequests.dispatch(req(Command.ANNOUNCE.id(), new byte[32], false, null), router, storage, ID));
    assertEquals(HyperDhtRequests.INVALID_TOKEN, e.error());
    assertEquals(true, e.withToken());
    assertEquals(true, e.withCloserNodes());
  }

  @Test
  void shouldLeaveRecordCommandsUnhandledWhenTheNodeIsNotPersistentOrHasNoId() {
    ReceivedRequest lookup = req(Command.LOOKUP.id(), null, false, null);
    assertInstanceOf(Outcome.Unhandled.class, HyperDhtRequests.dispatch(lookup, router, null, ID));
    assertInstanceOf(Outcome.Unhandled.class, HyperDhtRequests.dispatch(lookup, router, storage, null));
    assertInstanceOf(Outcome.Unhandled.class, HyperDhtRequests.dispatch(req(11, null, false, null), router, storage,
        ID));
    assertInstanceOf(Outcome.Unhandled.class, HyperDhtRequests.dispatch(req(-1 >>> 1, null, false, null), router,
        storage, ID));
  }

  @Test
  void shouldRouteHandshakesOnEveryNodeAndRecordsOnPersistentOnes() {
    byte[] hs = RouterClient.handshakeRequest(new byte[] {1}, null, null);
    assertInstanceOf(Outcome.Reply.class,
        HyperDhtRequests.dispatch(req(Command.PEER_HANDSHAKE.id(), null, false, hs), router, null, null),
        "an ephemeral node still helps the client route closer");
    assertEquals(new Outcome.Drop(DropReason.MISSING_VALUE),
        HyperDhtRequests.dispatch(req(Command.PEER_HOLEPUNCH.id(), null, false, null), router, null, null));
    for (Command c : Command.values()) {
      Decision d = HyperDhtRequests.dispatch(req(c.id(), new byte[32], true, null), router, storage, ID);
      switch (c) {
        case FIND_PEER, LOOKUP, IMMUTABLE_GET -> assertNull(assertInstanceOf(Outcome.Reply.class, d).value(), c.name());
        default -> assertInstanceOf(Outcome.Drop.class, d, c.name());
      }
    }
    storage.registerPlugin("p", 2);
    byte[] plugin = Compact.encode(PluginRequest.CODEC, new PluginRequest("p", 2, 1, new byte[] {3}));
    assertInstanceOf(Decision.ToPlugin.class,
        HyperDhtRequests.dispatch(req(Command.PLUGIN.id(), null, false, plugin), router, storage, ID));
  }

  @Test
  void shouldMapCommandNumbersBothWays() {
    for (Command c : Command.values()) {
      assertEquals(c, Command.of(c.id()).orElseThrow());
    }
    assertEquals(java.util.Optional.empty(), Command.of(11));
    assertEquals(java.util.Optional.empty(), Command.of(-1));
    assertEquals(CacheOptions.DEFAULT_MAX_SIZE / 2, CacheOptions.defaults().valueMaxSize());
    assertEquals(512, CacheOptions.defaults().relayAddressesMaxSize());
    assertEquals(Duration.ofHours(48), CacheOptions.defaults().valueMaxAge());
    assertEquals(Duration.ofMinutes(5), CacheOptions.of(64, Duration.ofMinutes(5)).valueMaxAge());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> CacheOptions.of(1, Duration.ofMinutes(5)));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> CacheOptions.of(10, Duration.ZERO));
  }
}
