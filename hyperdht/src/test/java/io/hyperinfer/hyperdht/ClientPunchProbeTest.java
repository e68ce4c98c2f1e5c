package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ClientPunchFixture.RELAY;
import static io.hyperinfer.hyperdht.ClientPunchFixture.SERVER;
import static io.hyperinfer.hyperdht.ClientPunchFixture.payload;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ClientPunchFixture.Sent;
import io.hyperinfer.hyperdht.VirtualNatNet.Kind;
import io.hyperinfer.hyperdht.wire.HolepunchInfo.RelayInfo;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A client's whole punch (JS {@code holepunch}: {@code probeRound} then {@code roundPunch}) against a scripted server,
 * from a consistent NAT whose sampling finished: every way the server or our own veto ends it fails typed, tells the
 * server where JS does, and leaves no puncher socket open; time passes in the test.
 */
class ClientPunchProbeTest {
  private static final List<RelayInfo> VIA_OUR_RELAY = List.of(new RelayInfo(RELAY, SERVER));
  private final ClientPunchFixture f = new ClientPunchFixture(Kind.CONSISTENT).sampled();

  /** The server's answer: its NAT {@code firewall}, a token for us, our mapping as the relay saw it. */
  private CompletableFuture<RouterClient.HolepunchReply> answer(Sent round, long firewall, boolean punching) {
    HolepunchPayload p = round.payload();
    HolepunchPayload reply = new HolepunchPayload(PeerError.NONE, firewall, p.round(), false, punching,
        List.of(SERVER), null, new byte[32], p.token());
    return f.reply(round, reply, f.clientSeenBy(round.via()), round.peerAddress());
  }

  private HyperDhtException failure(ConnectOptions options) {
    ClientPunch p = f.punch(false, options, VIA_OUR_RELAY);
    return assertThrows(HyperDhtException.class, p::run);
  }

  private void assertReleased() {
    assertTrue(f.puncher.destroyed(), "the puncher was destroyed");
    assertTrue(f.side.open.isEmpty(), "no puncher socket left open: " + f.side.open.size());
  }

  private void assertServerToldAborted() {
    assertEquals(PeerError.ABORTED, f.last().payload().error(), "the server hears we gave up");
  }

  @Test
  void shouldPunchAfterOneProbeRoundWhenBothNatsAreConsistent() throws Exception {
    f.server = round -> answer(round, Firewall.CONSISTENT, round.payload().punching());

    f.punch(false, ConnectOptions.DEFAULT, VIA_OUR_RELAY).run();

    assertEquals(2, f.sent.size(), "a probe round and a punching round");
    assertFalse(f.sent.get(0).payload().punching());
    assertTrue(f.sent.get(1).payload().punching());
    assertTrue(f.puncher.punching(), "both sides punch now");
    assertTrue(f.pauses.isEmpty(), "a server with a known NAT is not waited for");
  }

  @Test
  void shouldAbortWithProbeTimeoutAfterWaitingTwiceWhenTheServersNatStaysUnknown() {
    f.server = round -> answer(round, Firewall.UNKNOWN, false);

    HyperDhtException e = failure(ConnectOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.HOLEPUNCH_PROBE_TIMEOUT, e.code());
    assertEquals(List.of(ClientPunch.UNKNOWN_WAIT_MS, ClientPunch.UNKNOWN_WAIT_MS), f.pauses,
        "one wait per probe round, on the caller's clock");
    assertEquals(3, f.sent.size(), "two probe rounds, then the abort");
    assertServerToldAborted();
    assertReleased();
  }

  @Test
  void shouldAbortAndTellTheServerWhenOurVetoRefusesThePunch() {
    f.server = round -> answer(round, Firewall.CONSISTENT, false);

    HyperDhtException e = failure(ConnectOptions.DEFAULT.withHolepunch(HolepunchVeto.NEVER));

    assertEquals(HyperDhtException.Code.HOLEPUNCH_ABORTED, e.code());
    assertFalse(f.sent.stream().anyMatch(s -> s.payload().punching()), "no punching round went out");
    assertServerToldAborted();
    assertReleased();
  }

  @Test
  void shouldFailRemoteAbortedAndReleaseThePuncherWhenTheServerAnswersAnError() {
    f.answering(round -> payload(PeerError.ABORTED, Firewall.CONSISTENT, round.payload(), false));

    HyperDhtException e = failure(ConnectOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.REMOTE_ABORTED, e.code());
    assertEquals(1, f.sent.size());
    assertReleased();
  }

  @Test
  void shouldRejectAnAnswerSealedWithAnotherSecret() {
    SecurePayload stranger = new SecurePayload(HyperDhtCrypto.hash("another secret".getBytes()));
    f.server = round -> CompletableFuture.completedFuture(new RouterClient.HolepunchReply(round.via(),
        ClientPunchFixture.CLIENT, stranger.encrypt(payload(PeerError.NONE, Firewall.CONSISTENT, round.payload(),
            true)), SERVER));

    HyperDhtException e = failure(ConnectOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.HOLEPUNCH_INVALID, e.code());
    assertReleased();
  }

  @Test
  void shouldFailWithTheRelaysTypedErrorWhenARoundRequestFails() {
    f.server = round -> CompletableFuture.failedFuture(HyperDhtException.badHolepunchReply());

    HyperDhtException e = failure(ConnectOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.BAD_HOLEPUNCH_REPLY, e.code());
    assertReleased();
  }

  @Test
  void shouldFailPeerConnectionFailedWhenARoundRequestFailsUntyped() {
    f.server = round -> CompletableFuture.failedFuture(new IllegalStateException("socket closed"));

    HyperDhtException e = failure(ConnectOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.PEER_CONNECTION_FAILED, e.code());
    assertTrue(e.getMessage().contains("socket closed"), e.getMessage());
    assertReleased();
  }

  @Test
  void shouldFailRemoteNotHolepunchingWhenTheServerDoesNotPunchInThePunchingRound() {
    f.server = round -> answer(round, Firewall.CONSISTENT, false);

    HyperDhtException e = failure(ConnectOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.REMOTE_NOT_HOLEPUNCHING, e.code());
    assertTrue(f.last().payload().punching(), "it failed on the punching round's answer");
    assertReleased();
  }

  @Test
  void shouldFailRemoteNotHolepunchableWhenTheServerGaveNoAddress() {
    f.server = round -> f.reply(round, new HolepunchPayload(PeerError.NONE, Firewall.CONSISTENT,
        round.payload().round(), false, true, List.of(), null, new byte[32], null), f.clientSeenBy(round.via()),
        round.peerAddress());

    HyperDhtException e = failure(ConnectOptions.DEFAULT);

    assertEquals(HyperDhtException.Code.REMOTE_NOT_HOLEPUNCHABLE, e.code());
    assertReleased();
  }

  @Test
  void shouldPunchTowardsTheSocketTheServerAnsweredFromWhenItMoved() throws Exception {
    HostPort moved = new HostPort("2.2.2.2", 3999);
    f.server = round -> {
      HolepunchPayload p = round.payload();
      return f.reply(round, new HolepunchPayload(PeerError.NONE, Firewall.CONSISTENT, p.round(), false, p.punching(),
          List.of(moved), null, new byte[32], p.token()), f.clientSeenBy(round.via()), moved);
    };
    int lowTtlBefore = ((VirtualNatNet.Socket) f.puncher.socket()).lowTtlProbes;

    f.punch(false, ConnectOptions.DEFAULT, VIA_OUR_RELAY).run();

    assertEquals(SERVER, f.sent.get(0).peerAddress());
    assertEquals(moved, f.last().peerAddress(), "the punching round goes to where the server answered from");
    assertTrue(((VirtualNatNet.Socket) f.puncher.socket()).lowTtlProbes > lowTtlBefore + 1,
        "a session opened towards the moved socket too");
    assertTrue(f.puncher.punching());
  }

  @Test
  void shouldStopWithoutErrorWhenThePunchEndsDuringTheProbeRound() throws Exception {
    f.server = round -> {
      f.puncher.destroy(); // the attempt connected another way, or ended, while the round was in flight
      return answer(round, Firewall.CONSISTENT, false);
    };

    f.punch(false, ConnectOptions.DEFAULT, VIA_OUR_RELAY).run();

    assertEquals(1, f.sent.size(), "no further round after the punch ended");
    assertReleased();
  }

  @Test
  void shouldAskAgainAfterTheWaitAndPunchWhenTheServerAnswersTryLaterWhileRelayed() throws Exception {
    f.server = round -> round.payload().punching() && f.sent.stream().filter(s -> s.payload().punching()).count() == 1
        ? f.reply(round, payload(PeerError.TRY_LATER, Firewall.CONSISTENT, round.payload(), false))
        : answer(round, Firewall.CONSISTENT, round.payload().punching());

    f.punch(true, ConnectOptions.DEFAULT, VIA_OUR_RELAY).run();

    assertEquals(3, f.sent.size(), "probe, punching round answered TRY_LATER, punching round again");
    assertTrue(f.last().payload().punching());
    long waited = f.pauses.stream().mapToLong(Long::longValue).sum();
    assertTrue(waited >= ClientPunch.TRY_LATER_MS && waited < 2 * ClientPunch.TRY_LATER_MS, "waited " + waited);
    assertTrue(f.puncher.punching(), "the second answer let both sides punch");
  }

  @Test
  void shouldStopWithoutErrorWhenThePunchEndsDuringThePunchingRound() throws Exception {
    f.server = round -> {
      if (round.payload().punching()) {
        f.puncher.destroy(); // a relay or the server's first packet connected us meanwhile
      }
      return answer(round, Firewall.CONSISTENT, round.payload().punching());
    };

    f.punch(false, ConnectOptions.DEFAULT, VIA_OUR_RELAY).run();

    assertEquals(2, f.sent.size());
    assertFalse(f.puncher.punching());
    assertReleased();
  }

  @Test
  void shouldStopWithoutAbortingWhenThePunchEndsWhileWaitingForAnUnknownServer() throws Exception {
    f.server = round -> answer(round, Firewall.UNKNOWN, false);
    ClientPunch p = f.punch(false, ConnectOptions.DEFAULT, VIA_OUR_RELAY).pauses(ms -> {
      f.pauses.add(ms);
      f.puncher.destroy(); // the server's fast-open probe connected us during the wait
    });

    p.run();

    assertEquals(1, f.sent.size(), "no second probe and no abort: the attempt has its connection");
    assertEquals(List.of(ClientPunch.UNKNOWN_WAIT_MS), f.pauses);
  }

  @Test
  void shouldProbeOnceMoreAndThenPunchWhenTheFirstAnswerCarriesNoToken() throws Exception {
    f.server = round -> f.sent.size() == 1
        ? f.reply(round, new HolepunchPayload(PeerError.NONE, Firewall.CONSISTENT, round.payload().round(), false,
            false, List.of(SERVER), null, null, round.payload().token()), f.clientSeenBy(round.via()),
            round.peerAddress())
        : answer(round, Firewall.CONSISTENT, round.payload().punching());

    f.punch(false, ConnectOptions.DEFAULT, VIA_OUR_RELAY).run();

    assertEquals(List.of(false, false, true), f.sent.stream().map(s -> s.payload().punching()).toList(),
        "a second probe round for the token, then the punching round");
    assertEquals(f.sent.get(0).payload().round() + 1, f.sent.get(1).payload().round());
    assertTrue(f.puncher.punching());
  }
}
