package io.hyperinfer.hyperdht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Records validate once, in their constructors; a record that exists can always be encoded. */
class RecordValidationTest {
  private static final HostPort V4 = new HostPort("1.2.3.4", 5);
  private static final HostPort V6 = new HostPort("0:0:0:0:0:0:0:1", 5);
  private static final byte[] K32 = new byte[32];
  private static final byte[] S64 = new byte[64];

  @Test
  void shouldAcceptOnlyDottedQuadsWhenCheckingIpv4() {
    for (String ok : List.of("0.0.0.0", "255.255.255.255", "127.0.0.1", "01.2.3.4")) {
      assertTrue(Ipv4.isLiteral(ok), ok);
    }
    for (String bad : List.of("", "1.2.3", "1.2.3.4.", "1.2.3.4.5", "256.0.0.1", "1..2.3", "a.b.c.d", "1.2.3.4 ",
        "::1", "1234.1.1.1", "-1.2.3.4")) {
      assertFalse(Ipv4.isLiteral(bad), bad);
    }
    assertFalse(Ipv4.isLiteral(null));
    assertArrayEquals(new byte[] {127, 0, 0, 1}, Ipv4.octets("127.0.0.1"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4.octets("::1"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4.require(V6, "x"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4.require(null, "x"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4.requireAll(null, "x"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4.requireAll6(null, "x"));
    List<HostPort> withNull = new ArrayList<>();
    withNull.add(null);
    assertThrows(IllegalArgumentException.class, () -> Ipv4.requireAll6(withNull, "x"));
    assertThrows(IllegalArgumentException.class, () -> Ipv4.requireAll6(List.of(V4), "x"));
  }

  @Test
  void shouldRejectInvalidFieldsWhenConstructingMessages() {
    assertThrows(IllegalArgumentException.class, () -> new Handshake(null, new byte[0], null, null));
    assertThrows(IllegalArgumentException.class, () -> new Handshake(RouteMode.REPLY, null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new Handshake(RouteMode.REPLY, new byte[0], V6, null));
    assertThrows(IllegalArgumentException.class, () -> new Holepunch(RouteMode.REPLY, -1, new byte[0], null));
    assertThrows(IllegalArgumentException.class, () -> new Holepunch(null, 0, new byte[0], null));
    assertThrows(IllegalArgumentException.class, () -> new Holepunch(RouteMode.REPLY, 0, null, null));
    assertThrows(IllegalArgumentException.class, () -> new HolepunchInfo(-1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> new HolepunchInfo(0, null));
    assertThrows(IllegalArgumentException.class, () -> new HolepunchInfo.RelayInfo(V4, V6));
    assertThrows(IllegalArgumentException.class, () -> new UdxInfo(1, false, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new UdxInfo(-1, false, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> new UdxInfo(1, false, 0, 1L << 53));
    assertThrows(IllegalArgumentException.class, () -> new SecretStreamInfo(-1));
    assertThrows(IllegalArgumentException.class, () -> new RelayThroughInfo(1, new byte[31], K32));
    assertThrows(IllegalArgumentException.class, () -> new RelayThroughInfo(1, K32, null));
    assertThrows(IllegalArgumentException.class, () -> new RelayThroughInfo(-1, K32, K32));
    assertThrows(IllegalArgumentException.class, () -> new HolepunchPayload(0, 0, 0, false, false, null, null,
        new byte[31], null));
    assertThrows(IllegalArgumentException.class, () -> new HolepunchPayload(0, 0, 0, false, false, null, null,
        null, new byte[33]));
    assertThrows(IllegalArgumentException.class, () -> new HolepunchPayload(-1, 0, 0, false, false, null, null,
        null, null));
    assertThrows(IllegalArgumentException.class, () -> new Peer(new byte[31], List.of()));
    assertThrows(IllegalArgumentException.class, () -> new Peer(K32, List.of(V6)));
    assertThrows(IllegalArgumentException.class, () -> new LookupReply(null, 0));
    assertThrows(IllegalArgumentException.class, () -> new LookupReply(List.of(), -1));
    assertThrows(IllegalArgumentException.class, () -> new Announce(null, new byte[31], null, 0));
    assertThrows(IllegalArgumentException.class, () -> new Announce(null, null, new byte[63], 0));
    assertThrows(IllegalArgumentException.class, () -> new Announce(null, null, null, -1));
    assertThrows(IllegalArgumentException.class, () -> new MutableSignable(0, null));
    assertThrows(IllegalArgumentException.class, () -> new MutablePutRequest(K32, 0, new byte[0], new byte[63]));
    assertThrows(IllegalArgumentException.class, () -> new MutablePutRequest(new byte[1], 0, new byte[0], S64));
    assertThrows(IllegalArgumentException.class, () -> new MutablePutRequest(K32, 0, null, S64));
    assertThrows(IllegalArgumentException.class, () -> new MutableGetResponse(0, null, S64));
    assertThrows(IllegalArgumentException.class, () -> new MutableGetResponse(0, new byte[0], null));
    assertThrows(IllegalArgumentException.class, () -> new PluginRequest(null, 0, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new PluginRequest("p", 0, -1, null));
    assertThrows(IllegalArgumentException.class, () -> new HyperDhtAddress(new byte[31], null));
    assertThrows(IllegalArgumentException.class, () -> new HyperDhtAddress(K32, List.of(V6)));
  }

  @Test
  void shouldCarryNothingButTheVersionWhenPayloadVersionIsNotOne() {
    NoisePayload v2 = NoisePayload.ofVersion(2);
    assertEquals(2, v2.version());
    assertThrows(IllegalArgumentException.class, () -> new NoisePayload(2, 1, 0, null, List.of(), List.of(), null,
        null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new NoisePayload(2, 0, 0, null, List.of(), List.of(), null,
        SecretStreamInfo.V1, null, null));
    assertThrows(IllegalArgumentException.class, () -> new NoisePayload(1, 0, 0, null, List.of(V6), List.of(), null,
        null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new NoisePayload(1, 0, 0, null, List.of(), List.of(V4), null,
        null, null, null));
    assertThrows(IllegalArgumentException.class, () -> new NoisePayload(1, 0, -1, null, List.of(), List.of(), null,
        null, null, null));
  }

  @Test
  void shouldKeepTheFirstThreeRelaysWhenLimited() {
    Peer peer = new Peer(K32, List.of(V4, new HostPort("1.1.1.1", 1), new HostPort("2.2.2.2", 2),
        new HostPort("3.3.3.3", 3)));
    assertEquals(peer.relayAddresses().subList(0, 3), peer.withRelayLimit(3).relayAddresses());
    Peer small = new Peer(K32, List.of(V4));
    assertSame(small, small.withRelayLimit(3));
    assertEquals(new UdxInfo(1, true, 7, 0), UdxInfo.of(true, 7));
    assertEquals(1, RelayThroughInfo.of(K32, K32).version());
    assertEquals(3, new MutablePutRequest(K32, 3, new byte[0], S64).stored().seq());
  }
}
