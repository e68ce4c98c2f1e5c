package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The records a request's routing is decided in (what arrived, where the target routes, what goes out) refuse a
 * malformed instance in their constructor, so no router or server ever sees one.
 */
class RequestRecordsTest {
  private static final HostPort SENDER = new HostPort("10.0.0.1", 4000);
  private static final byte[] KEY = new byte[32];

  @Test
  void shouldRefuseARequestWithAShortTargetOrTokenOrNoSender() {
    assertThrows(IllegalArgumentException.class, () -> new ReceivedRequest(1, new byte[31], null, false, null,
        SENDER));
    assertThrows(IllegalArgumentException.class, () -> new ReceivedRequest(1, KEY, new byte[33], true, null,
        SENDER));
    assertThrows(IllegalArgumentException.class, () -> new ReceivedRequest(1, KEY, KEY, true, null, null));
    assertDoesNotThrow(() -> new ReceivedRequest(1, null, null, false, null, SENDER), "no target is a valid ping");
  }

  @Test
  void shouldRefuseARouteThatIsNeitherALocalServerNorAForward() {
    Peer record = new Peer(KEY, List.of());
    assertThrows(IllegalArgumentException.class, () -> new Route(record, SENDER, true), "local with a relay");
    assertThrows(IllegalArgumentException.class, () -> new Route(record, null, false), "a forward needs a relay");
    assertThrows(IllegalArgumentException.class, () -> new Route(null, null, true), "no record");
    assertDoesNotThrow(() -> new Route(record, SENDER, false));
  }

  @Test
  void shouldRefuseAnOutcomeWithoutItsSocketOrDestination() {
    assertThrows(IllegalArgumentException.class, () -> new Outcome.Reply(null, true, true, null, null));
    assertThrows(IllegalArgumentException.class, () -> new Outcome.Relay(new byte[0], SENDER, null));
    assertThrows(IllegalArgumentException.class, () -> new Outcome.Relay(null, SENDER, ReplySocket.RECEIVING));
    assertThrows(IllegalArgumentException.class, () -> new Outcome.Relay(new byte[0], null, ReplySocket.RECEIVING));
    assertDoesNotThrow(() -> new Outcome.Relay(new byte[0], SENDER, ReplySocket.SERVER_CHOSEN));
  }
}
