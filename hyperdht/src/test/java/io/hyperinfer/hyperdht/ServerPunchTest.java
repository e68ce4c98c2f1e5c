package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.ReplyOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.VirtualNatNet.Kind;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import io.hyperinfer.hyperdht.wire.RouteMode;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A server's answers to a client's holepunch rounds, its puncher behind a virtual consistent NAT on virtual time. */
class ServerPunchTest {
  private static final HostPort RELAY = new HostPort("9.0.0.1", 49737);
  private static final HostPort STRANGER = new HostPort("9.0.0.2", 49737);
  private static final HostPort CLIENT = new HostPort("1.1.1.1", 5000);

  private final VirtualNatNet net = new VirtualNatNet(21, 10);
  private final VirtualNatNet.Side side = net.side("2.2.2.2", Kind.CONSISTENT);
  private final byte[] secret = HyperDhtCrypto.hash("holepunch secret".getBytes());
  private final SecurePayload serverSeal = new SecurePayload(secret);
  private final SecurePayload clientSeal = new SecurePayload(secret);
  private final Holepuncher puncher = new Holepuncher(side, false, Firewall.UNKNOWN, 8);
  private final AtomicInteger punching = new AtomicInteger();
  private boolean allow = true;
  private final ServerPunch punch = new ServerPunch(serverSeal, puncher, true,
      (remote, local, remoteAddrs, localAddrs) -> allow, RELAY::equals, side, () -> null, punching::incrementAndGet,
      Runnable::run);

  /**
   * A holepunch request as it reaches the server: who sent it and to which of our addresses, all ServerPunch reads of
   * it (its answer goes back through the future, never through the request).
   */
  record Arrived(Peer from, HostPort to) implements IncomingRequest {
    @Override
    public int tid() {
      return 0;
    }

    @Override
    public byte[] token() {
      return null;
    }

    @Override
    public boolean internal() {
      return false;
    }

    @Override
    public long command() {
      return 0;
    }

    @Override
    public byte[] target() {
      return null;
    }

    @Override
    public byte[] value() {
      return null;
    }

    @Override
    public DhtSocket socket() {
      return null;
    }

    @Override
    public boolean external() {
      return true;
    }

    @Override
    public void reply(byte[] value, ReplyOptions options) {
      throw new AssertionError("ServerPunch answers through its future");
    }

    @Override
    public void error(long code, ReplyOptions options) {
      throw new AssertionError("ServerPunch answers through its future");
    }

    @Override
    public void relay(byte[] value, HostPort to, DhtSocket socket) {
      throw new AssertionError("ServerPunch answers through its future");
    }
  }

  private static HolepunchPayload probe(long firewall, HostPort remoteAddress) {
    return new HolepunchPayload(PeerError.NONE, firewall, 0, false, false, List.of(CLIENT), remoteAddress, null,
        null);
  }

  private HolepunchPayload punching(long firewall, byte[] token, byte[] remoteToken) {
    return new HolepunchPayload(PeerError.NONE, firewall, 1, false, true, List.of(CLIENT), null, token, remoteToken);
  }

  /** Sends one round through {@code via}; the server's payload, opened, or null for silence. */
  private HolepunchPayload round(HolepunchPayload payload, HostPort via) {
    return answer(clientSeal.encrypt(payload), via);
  }

  private HolepunchPayload answer(byte[] sealed, HostPort via) {
    IncomingRequest req = new Arrived(Peer.of(via), new HostPort("2.2.2.2", 20_000));
    CompletableFuture<LocalServer.Answer> answer = punch.onRound(new Holepunch(RouteMode.FROM_RELAY, 0, sealed,
        CLIENT), req);
    if (answer == null) {
      return null;
    }
    net.runFor(2_000);
    LocalServer.Answer a = answer.join();
    return a == null ? null : clientSeal.decrypt(a.value()).orElseThrow();
  }

  /** A punching round to a punch whose starter hands the punch to {@code started} instead of running it. */
  private CompletableFuture<LocalServer.Answer> punchingRoundStartedBy(ArrayDeque<Runnable> started) {
    ServerPunch offLoop = new ServerPunch(serverSeal, puncher, true, (r, l, ra, la) -> true, RELAY::equals, side,
        () -> null, () -> { }, started::add);
    IncomingRequest req = new Arrived(Peer.of(RELAY), new HostPort("2.2.2.2", 20_000));
    return offLoop.onRound(new Holepunch(RouteMode.FROM_RELAY, 0,
        clientSeal.encrypt(punching(Firewall.CONSISTENT, null, null)), CLIENT), req);
  }

  @Test
  void shouldAnswerTheProbeRoundWithItsNatViewAndItsTokenThroughItsOwnRelay() {
    HolepunchPayload reply = round(probe(Firewall.CONSISTENT, null), RELAY);

    assertEquals(PeerError.NONE, reply.error());
    assertEquals(Firewall.CONSISTENT, reply.firewall());
    assertEquals(List.of(new HostPort("2.2.2.2", 20_000)), reply.addresses());
    assertArrayEquals(serverSeal.token(CLIENT.host()), reply.token(), "our token for the client's host");
    assertFalse(reply.punching());
    assertEquals(CLIENT, puncher.remoteAddresses().get(0).address());
    assertFalse(puncher.remoteAddresses().get(0).verified(), "no token echoed yet");
  }

  @Test
  void shouldGiveNoTokenThroughAnotherRelay() {
    assertNull(round(probe(Firewall.CONSISTENT, null), STRANGER).token());
  }

  @Test
  void shouldFireTheFastOpenProbeWhenTheClientNamesOurAddress() {
    round(probe(Firewall.CONSISTENT, null), RELAY);
    VirtualNatNet.Socket socket = (VirtualNatNet.Socket) puncher.socket();
    int sent = socket.probesSent;

    round(probe(Firewall.CONSISTENT, new HostPort("2.2.2.2", 20_000)), RELAY);

    assertEquals(sent + 1, socket.probesSent, "one probe to the client, at once");
  }

  @Test
  void shouldPunchWhenTheClientPunchesAndEchoesOurToken() {
    byte[] ours = round(probe(Firewall.CONSISTENT, null), RELAY).token();

    HolepunchPayload reply = round(punching(Firewall.CONSISTENT, clientSeal.token("2.2.2.2"), ours), RELAY);

    assertEquals(PeerError.NONE, reply.error());
    assertTrue(reply.punching());
    assertArrayEquals(clientSeal.token("2.2.2.2"), reply.remoteToken(), "the client's token echoed");
    assertTrue(puncher.remoteAddresses().get(0).verified(), "our echoed token verified the client's host");
    assertEquals(1, punching.get(), "the first-packet wait was told to end");
    assertEquals(1, side.stats.consistent.get());
  }

  @Test
  void shouldAbortWhenTheClientSendsAnError() {
    HolepunchPayload reply = round(new HolepunchPayload(PeerError.ABORTED, Firewall.UNKNOWN, 3, false, false, null,
        null, null, null), RELAY);

    assertEquals(PeerError.ABORTED, reply.error());
    assertTrue(puncher.destroyed());
    assertNull(round(probe(Firewall.CONSISTENT, null), RELAY), "silence once the puncher is gone");
  }

  @Test
  void shouldAbortWhenItsVetoRefusesThePunch() {
    allow = false;
    HolepunchPayload reply = round(punching(Firewall.CONSISTENT, null, null), RELAY);

    assertEquals(PeerError.ABORTED, reply.error());
    assertTrue(puncher.destroyed());
    assertEquals(0, side.stats.consistent.get());
  }

  @Test
  void shouldAnswerTryLaterWhenARandomPunchIsThrottled() {
    side.throttle.begin(); // another random punch is running on this node

    HolepunchPayload reply = round(punching(Firewall.RANDOM, null, null), RELAY);

    assertEquals(PeerError.TRY_LATER, reply.error());
    assertEquals(1, side.stats.tryLater.get());
    assertEquals(0, side.stats.random.get(), "no punch started");
  }

  @Test
  void shouldAnswerARepeatedRoundWithoutThrottlingWhenItsOwnRandomPunchRuns() {
    byte[] ours = round(probe(Firewall.RANDOM, null), RELAY).token();
    HolepunchPayload first = round(punching(Firewall.RANDOM, clientSeal.token("2.2.2.2"), ours), RELAY);
    assertEquals(PeerError.NONE, first.error());
    assertTrue(first.punching(), "a random punch runs, holding the node's random-punch throttle");

    // the client's retry of that round (its answer came late): ours must not meet our own punch's throttle
    HolepunchPayload again = round(punching(Firewall.RANDOM, clientSeal.token("2.2.2.2"), ours), RELAY);

    assertEquals(PeerError.NONE, again.error());
    assertTrue(again.punching());
    assertFalse(puncher.destroyed(), "the punch, and the socket the client may have connected to, stay");
    assertEquals(0, side.stats.tryLater.get());
    assertEquals(1, side.stats.random.get(), "one punch, started once");
  }

  @Test
  void shouldStaySilentWhenThePunchEndsWhileItsNatIsStillSampled() {
    IncomingRequest req = new Arrived(Peer.of(RELAY), new HostPort("2.2.2.2", 20_000));
    CompletableFuture<LocalServer.Answer> answer = punch.onRound(new Holepunch(RouteMode.FROM_RELAY, 0,
        clientSeal.encrypt(probe(Firewall.CONSISTENT, null)), CLIENT), req);

    puncher.destroy(); // the client connected another way, or the handshake timed out, before the sampling ended
    net.runFor(2_000);

    assertTrue(answer.isDone(), "the round ends with the puncher");
    assertNull(answer.join(), "a destroyed puncher answers nothing, as JS");
  }

  @Test
  void shouldStaySilentWhenThePunchEndsBeforeItsStarterRuns() {
    ArrayDeque<Runnable> started = new ArrayDeque<>();
    CompletableFuture<LocalServer.Answer> answer = punchingRoundStartedBy(started);
    net.runFor(2_000);

    puncher.destroy();
    started.poll().run();

    assertNull(answer.join(), "no punching answer for a punch that ended");
    assertEquals(0, side.stats.consistent.get(), "nothing was punched");
  }

  @Test
  void shouldOpenThePunchThroughItsStarterAndAnswerOnlyOnceItIsOpen() {
    ArrayDeque<Runnable> started = new ArrayDeque<>();

    CompletableFuture<LocalServer.Answer> answer = punchingRoundStartedBy(started);
    net.runFor(2_000);

    assertFalse(answer.isDone(), "no answer before the punch has started");
    assertEquals(0, side.stats.consistent.get(), "the punch did not run on the caller's thread");
    assertEquals(1, started.size());
    started.poll().run();
    assertEquals(1, side.stats.consistent.get());
    assertTrue(clientSeal.decrypt(answer.join().value()).orElseThrow().punching());
  }

  @Test
  void shouldKeepItsPuncherAndAnswerTryLaterWhenThrottledWhileARelayCarriesTheConnection() {
    punch.relayed();
    side.throttle.begin();

    HolepunchPayload reply = round(punching(Firewall.RANDOM, null, null), RELAY);

    assertEquals(PeerError.TRY_LATER, reply.error());
    assertEquals(Firewall.CONSISTENT, reply.firewall(), "a full answer, not an abort");
    assertFalse(puncher.destroyed(), "the client will ask again later");
    assertEquals(0, side.stats.random.get(), "no punch started yet");
    assertEquals(PeerError.TRY_LATER, round(punching(Firewall.RANDOM, null, null), RELAY).error(),
        "a later round while still throttled gets the same answer");
  }

  @Test
  void shouldAbortWhenARandomClientPunchesBeforeItsAddressWasVerified() {
    HolepunchPayload reply = round(punching(Firewall.RANDOM, null, null), RELAY);

    assertEquals(PeerError.ABORTED, reply.error(), "a random NAT is sprayed only at a verified address");
    assertTrue(puncher.destroyed());
    assertEquals(0, side.stats.random.get(), "no punch started");
    assertTrue(side.open.isEmpty(), "its sockets were released");
  }

  @Test
  void shouldAbortAfterRerollingWhenBothSidesAreRandomAndTheClientIsNotPunching() {
    VirtualNatNet randomNet = new VirtualNatNet(22, 10);
    VirtualNatNet.Side randomSide = randomNet.side("3.3.3.3", Kind.RANDOM);
    Holepuncher randomPuncher = new Holepuncher(randomSide, false, Firewall.UNKNOWN, 8);
    ServerPunch randomPunch = new ServerPunch(serverSeal, randomPuncher, true, (r, l, ra, la) -> true,
        RELAY::equals, randomSide, () -> null, () -> { }, Runnable::run);
    IncomingRequest req = new Arrived(Peer.of(RELAY), new HostPort("3.3.3.3", 20_000));

    CompletableFuture<LocalServer.Answer> answer = randomPunch.onRound(new Holepunch(RouteMode.FROM_RELAY, 0,
        clientSeal.encrypt(probe(Firewall.RANDOM, null)), CLIENT), req);
    randomNet.runFor(10_000);

    HolepunchPayload reply = clientSeal.decrypt(answer.join().value()).orElseThrow();
    assertEquals(PeerError.ABORTED, reply.error(), "still random after three fresh sockets: nothing to punch with");
    assertEquals(1 + Holepuncher.MAX_REOPENS, randomSide.stats.socketsOpened.get());
    assertTrue(randomPuncher.destroyed());
  }

  @Test
  void shouldStaySilentWhenThePayloadDoesNotOpen() {
    byte[] garbage = new SecurePayload(HyperDhtCrypto.hash("another secret".getBytes()))
        .encrypt(probe(Firewall.CONSISTENT, null));
    assertNull(answer(garbage, RELAY));
    assertNotNull(round(probe(Firewall.CONSISTENT, null), RELAY), "a good round still works after");
  }
}
