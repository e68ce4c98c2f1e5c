package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.hyperinfer.dht.Session;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.VirtualNatNet.Kind;
import io.hyperinfer.hyperdht.wire.HolepunchInfo;
import io.hyperinfer.hyperdht.wire.HolepunchInfo.RelayInfo;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * A client's punching round against a random NAT when the node's random-punch limit is reached or the server answers
 * TRY_LATER (JS {@code roundPunch}, {@code tryLater}): with a relay it waits and asks again, from then on through the
 * server's relay; without one it gives up. The server is a mock answering each round; time passes in the test.
 */
class ClientPunchTest {
  private static final HostPort SERVER = new HostPort("2.2.2.2", 3000);
  private static final HostPort CLIENT = new HostPort("1.1.1.1", 4000);
  private static final HostPort RELAY = new HostPort("9.0.0.1", 49737);
  private static final RelayInfo SERVER_RELAY = new RelayInfo(new HostPort("9.0.0.2", 49737),
      new HostPort("2.2.2.2", 3001));

  private final VirtualNatNet net = new VirtualNatNet(31, 10);
  private final VirtualNatNet.Side side = net.side("1.1.1.1", Kind.CONSISTENT);
  private final byte[] secret = HyperDhtCrypto.hash("client punch secret".getBytes());
  private final SecurePayload serverSeal = new SecurePayload(secret);
  private final Holepuncher puncher = new Holepuncher(side, true, Firewall.RANDOM, 8);
  private final List<HolepunchPayload> sent = new ArrayList<>();
  private final List<HostPort> sentVia = new ArrayList<>();
  private final Deque<Long> errors = new ArrayDeque<>();
  private final List<Long> pauses = new ArrayList<>();

  private ClientPunch punch(boolean relayed, ClientPunch.Pause pause) {
    HyperDht dht = mock(HyperDht.class);
    when(dht.peerHolepunch(any(), anyLong(), any(), any(), any(), any())).thenAnswer(inv -> {
      HolepunchPayload p = serverSeal.decrypt(inv.getArgument(2)).orElseThrow();
      sent.add(p);
      sentVia.add(inv.getArgument(4));
      long error = errors.isEmpty() ? PeerError.NONE : errors.poll();
      HolepunchPayload reply = new HolepunchPayload(error, Firewall.CONSISTENT, p.round(), false, true,
          List.of(SERVER), null, null, null);
      return CompletableFuture.completedFuture(new RouterClient.HolepunchReply(inv.getArgument(4), CLIENT,
          serverSeal.encrypt(reply), inv.getArgument(3)));
    });
    byte[] k = new byte[32];
    NoisePayload payload = new NoisePayload(NoisePayload.VERSION, PeerError.NONE, Firewall.UNKNOWN,
        new HolepunchInfo(1, List.of(SERVER_RELAY)), List.of(), List.of(), UdxInfo.of(false, 1), SecretStreamInfo.V1,
        null, null);
    ConnectAttempt.Handshaken h = new ConnectAttempt.Handshaken(RELAY, true, SERVER, CLIENT, payload,
        new NoiseWrap.Established(true, k, k, k, k, k, secret));
    return new ClientPunch(dht, k, h, ConnectOptions.DEFAULT, puncher, side, ConnectTrace.start(),
        mock(Session.class)).relayed(relayed).pauses(pause);
  }

  /** Runs the punching round; how it failed, or null (a punch that starts or is refused later is not the point). */
  private Throwable punchingRound(ClientPunch p) throws InterruptedException {
    try {
      p.punchRound(SERVER, new byte[32], SERVER_RELAY, false);
      return null;
    } catch (HyperDhtException e) {
      return e;
    }
  }

  @Test
  void shouldTellTheServerItWaitsThenPunchThroughTheServersRelayWhenThrottledWhileRelayed() throws Exception {
    side.throttle.begin(); // another random punch runs on this node
    ClientPunch p = punch(true, ms -> {
      pauses.add(ms);
      if (pauses.size() == 10) {
        side.throttle.end(0, false); // the other punch ends while we wait
      }
    });

    punchingRound(p);

    assertFalse(sent.get(0).punching(), "first the server hears we are not punching yet");
    assertNotNull(sent.get(0).token());
    assertEquals(RELAY, sentVia.get(0));
    assertTrue(sent.get(1).punching(), "after the wait we punch");
    assertNull(sent.get(1).token(), "delayed: no token, as JS");
    assertEquals(SERVER_RELAY.relayAddress(), sentVia.get(1), "through the server's own relay");
    assertTrue(pauses.stream().mapToLong(Long::longValue).sum() >= 2_500, "it waited: " + pauses);
  }

  @Test
  void shouldGiveUpWithoutWaitingWhenThrottledWithoutARelay() {
    side.throttle.begin();
    ClientPunch p = punch(false, ms -> pauses.add(ms));

    HyperDhtException e = assertThrows(HyperDhtException.class, () -> p.punchRound(SERVER, new byte[32],
        SERVER_RELAY, false));

    assertEquals(HyperDhtException.Code.HOLEPUNCH_ABORTED, e.code());
    assertTrue(sent.isEmpty() && pauses.isEmpty());
  }

  @Test
  void shouldWaitTenToTwentySecondsAndAskAgainWhenTheServerAnswersTryLater() throws Exception {
    errors.add(PeerError.TRY_LATER);
    ClientPunch p = punch(true, ms -> pauses.add(ms));

    punchingRound(p);

    assertEquals(2, sent.size(), "the first round got TRY_LATER, the second went out after the wait");
    assertTrue(sent.get(0).punching() && sent.get(0).token() != null);
    assertTrue(sent.get(1).punching() && sent.get(1).token() == null);
    assertEquals(SERVER_RELAY.relayAddress(), sentVia.get(1));
    long waited = pauses.stream().mapToLong(Long::longValue).sum();
    assertTrue(waited >= ClientPunch.TRY_LATER_MS && waited < 2 * ClientPunch.TRY_LATER_MS, "waited " + waited);
  }

  @Test
  void shouldTreatTryLaterAsAnAbortWithoutARelay() {
    errors.add(PeerError.TRY_LATER);
    ClientPunch p = punch(false, ms -> pauses.add(ms));

    HyperDhtException e = assertThrows(HyperDhtException.class, () -> p.punchRound(SERVER, new byte[32],
        SERVER_RELAY, false));

    assertEquals(HyperDhtException.Code.REMOTE_ABORTED, e.code());
    assertTrue(pauses.isEmpty());
  }
}
