package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.RelayThroughInfo;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayThroughTest {
  private static byte[] key(int b) {
    byte[] k = new byte[32];
    java.util.Arrays.fill(k, (byte) b);
    return k;
  }

  private static NoisePayload payload(RelayThroughInfo relay) {
    return new NoisePayload(NoisePayload.VERSION, PeerError.NONE, Firewall.UNKNOWN, null, List.of(), List.of(),
        UdxInfo.of(false, 1), SecretStreamInfo.V1, relay, null);
  }

  @Test
  void shouldReturnACopyOfTheKeyWhenOneRelayIsNamed() {
    byte[] k = key(1);
    RelayThrough r = RelayThrough.of(k);
    k[0] = 9;

    byte[] selected = RelayThrough.selectFrom(r);
    assertArrayEquals(key(1), selected);
    selected[1] = 9;
    assertArrayEquals(key(1), r.select(), "callers cannot change the choice");
  }

  @Test
  void shouldPickEveryKeyOfAListWhenAskedOften() {
    RelayThrough r = RelayThrough.anyOf(List.of(key(1), key(2), key(3)));
    Set<Byte> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      seen.add(r.select()[0]);
    }
    assertEquals(Set.of((byte) 1, (byte) 2, (byte) 3), seen);
  }

  @Test
  void shouldSelectNoneWhenAbsentOrTheFunctionReturnsNull() {
    assertNull(RelayThrough.selectFrom(null));
    assertNull(RelayThrough.selectFrom(() -> null));
  }

  @Test
  void shouldRejectKeysThatAreNot32Bytes() {
    assertThrows(IllegalArgumentException.class, () -> RelayThrough.of(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> RelayThrough.anyOf(List.of()));
    assertThrows(IllegalArgumentException.class, () -> RelayThrough.selectFrom(() -> new byte[3]));
  }

  @Test
  void shouldPairAsInitiatorWithItsOwnTokenWhenTheServerChoseTheRelay() {
    RelayThroughInfo ours = RelayThroughInfo.of(key(1), key(7));
    RelayThroughInfo theirs = RelayThroughInfo.of(key(2), key(8));

    RelayLink.Plan server = RelayLink.Plan.of(ours, payload(theirs), true);
    RelayLink.Plan client = RelayLink.Plan.of(theirs, payload(ours), false);

    assertTrue(server.initiator());
    assertArrayEquals(key(1), server.relayKey());
    assertTrue(!client.initiator(), "the client follows the server's choice");
    assertArrayEquals(key(1), client.relayKey());
    assertArrayEquals(key(7), client.token());
  }

  @Test
  void shouldFollowThePeersRelayWhenOnlyThePeerNamedOne() {
    RelayThroughInfo theirs = RelayThroughInfo.of(key(2), key(8));

    RelayLink.Plan server = RelayLink.Plan.of(null, payload(theirs), true);
    RelayLink.Plan client = RelayLink.Plan.of(theirs, payload(null), false);

    assertTrue(!server.initiator());
    assertArrayEquals(key(8), server.token());
    assertTrue(client.initiator(), "a client whose server named none pairs with its own token as initiator");
    assertNull(RelayLink.Plan.of(null, payload(null), false));
  }
}
