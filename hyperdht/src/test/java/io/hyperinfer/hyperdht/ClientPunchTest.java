package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.ClientPunchFixture.RELAY;
import static io.hyperinfer.hyperdht.ClientPunchFixture.SERVER;
import static io.hyperinfer.hyperdht.ClientPunchFixture.SERVER_RELAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.VirtualNatNet.Kind;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/**
 * A client's punching round against a random NAT when the node's random-punch limit is reached or the server answers
 * TRY_LATER (JS {@code roundPunch}, {@code tryLater}): with a relay it waits and asks again, from then on through the
 * server's relay; without one it gives up. The server is scripted; time passes in the test.
 */
class ClientPunchTest {
  private final ClientPunchFixture f = new ClientPunchFixture(Kind.CONSISTENT);
  private final Deque<Long> errors = new ArrayDeque<>();

  ClientPunchTest() {
    f.answering(round -> ClientPunchFixture.payload(errors.isEmpty() ? PeerError.NONE : errors.poll(),
        Firewall.CONSISTENT, round.payload(), true));
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

  private HolepunchPayload sent(int i) {
    return f.sent.get(i).payload();
  }

  @Test
  void shouldTellTheServerItWaitsThenPunchThroughTheServersRelayWhenThrottledWhileRelayed() throws Exception {
    f.side.throttle.begin(); // another random punch runs on this node
    ClientPunch p = f.punch(true, ms -> {
      f.pauses.add(ms);
      if (f.pauses.size() == 10) {
        f.side.throttle.end(0, false); // the other punch ends while we wait
      }
    });

    punchingRound(p);

    assertFalse(sent(0).punching(), "first the server hears we are not punching yet");
    assertNotNull(sent(0).token());
    assertEquals(RELAY, f.sent.get(0).via());
    assertTrue(sent(1).punching(), "after the wait we punch");
    assertNull(sent(1).token(), "delayed: no token, as JS");
    assertEquals(SERVER_RELAY.relayAddress(), f.sent.get(1).via(), "through the server's own relay");
    assertTrue(f.pauses.stream().mapToLong(Long::longValue).sum() >= 2_500, "it waited: " + f.pauses);
  }

  @Test
  void shouldGiveUpWithoutWaitingWhenThrottledWithoutARelay() {
    f.side.throttle.begin();
    ClientPunch p = f.punch(false, f.pauses::add);

    HyperDhtException e = assertThrows(HyperDhtException.class, () -> p.punchRound(SERVER, new byte[32],
        SERVER_RELAY, false));

    assertEquals(HyperDhtException.Code.HOLEPUNCH_ABORTED, e.code());
    assertTrue(f.sent.isEmpty() && f.pauses.isEmpty());
  }

  @Test
  void shouldStopWaitingWithoutPunchingWhenThePunchEndsWhileThrottled() throws Exception {
    f.side.throttle.begin();
    ClientPunch p = f.punch(true, ms -> {
      f.pauses.add(ms);
      f.puncher.destroy(); // another path won while we waited
    });

    assertNull(punchingRound(p));

    assertEquals(1, f.sent.size(), "only the 'not punching yet' round went out");
    assertFalse(sent(0).punching());
    assertEquals(1, f.pauses.size(), "the wait ended at the first check after the punch ended");
  }

  @Test
  void shouldWaitTenToTwentySecondsAndAskAgainWhenTheServerAnswersTryLater() throws Exception {
    errors.add(PeerError.TRY_LATER);
    ClientPunch p = f.punch(true, f.pauses::add);

    punchingRound(p);

    assertEquals(2, f.sent.size(), "the first round got TRY_LATER, the second went out after the wait");
    assertTrue(sent(0).punching() && sent(0).token() != null);
    assertTrue(sent(1).punching() && sent(1).token() == null);
    assertEquals(SERVER_RELAY.relayAddress(), f.sent.get(1).via());
    long waited = f.pauses.stream().mapToLong(Long::longValue).sum();
    assertTrue(waited >= ClientPunch.TRY_LATER_MS && waited < 2 * ClientPunch.TRY_LATER_MS, "waited " + waited);
  }

  @Test
  void shouldTreatTryLaterAsAnAbortWithoutARelay() {
    errors.add(PeerError.TRY_LATER);
    ClientPunch p = f.punch(false, f.pauses::add);

    HyperDhtException e = assertThrows(HyperDhtException.class, () -> p.punchRound(SERVER, new byte[32],
        SERVER_RELAY, false));

    assertEquals(HyperDhtException.Code.REMOTE_ABORTED, e.code());
    assertTrue(f.pauses.isEmpty());
  }
}
