package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.HolepunchInfo;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a client sends its stream after the handshake ({@code connect.js holepunch()} up to the punch). */
class ConnectPathTest {
  private static final HostPort RELAY = new HostPort("10.0.0.9", 49737);
  private static final HostPort SERVER = new HostPort("127.0.0.1", 5000);
  private static final HostPort CLIENT = new HostPort("127.0.0.1", 6000);
  private static final List<HostPort> MINE = List.of(new HostPort("127.0.0.1", 6001));
  private static final HolepunchInfo PUNCHABLE =
      new HolepunchInfo(1, List.of(new HolepunchInfo.RelayInfo(RELAY, SERVER)));

  private static NoisePayload payload(long firewall, HolepunchInfo holepunch, List<HostPort> addresses) {
    return new NoisePayload(1, 0, firewall, holepunch, addresses, List.of(), UdxInfo.of(false, 1), SecretStreamInfo.V1,
        null, null);
  }

  private static ConnectPath choose(boolean relayed, HostPort client, NoisePayload p, long own, boolean lan) {
    return ConnectPath.choose(RELAY, relayed, SERVER, client, p, own, lan, MINE, false);
  }

  @Test
  void shouldDialTheAnsweringNodeWhenNotRelayed() {
    ConnectPath path = choose(false, CLIENT, payload(Firewall.UNKNOWN, PUNCHABLE, List.of()), Firewall.UNKNOWN, true);
    assertEquals(new ConnectPath(ConnectPath.Kind.DIRECT, RELAY, false), path);
  }

  @Test
  void shouldDialThePublicAddressElseTheServerAddressWhenTheServerOffersNoHolepunch() {
    HostPort pub = new HostPort("8.8.8.8", 7);
    assertEquals(new ConnectPath(ConnectPath.Kind.OPEN, pub, false), choose(true, CLIENT,
        payload(Firewall.UNKNOWN, null, List.of(new HostPort("127.0.0.1", 5000), pub)), Firewall.UNKNOWN, true));
    assertEquals(new ConnectPath(ConnectPath.Kind.OPEN, SERVER, false), choose(true, CLIENT,
        payload(Firewall.UNKNOWN, new HolepunchInfo(1, List.of()), List.of()), Firewall.UNKNOWN, true));
    assertEquals(ConnectPath.Kind.OPEN, choose(true, CLIENT, payload(Firewall.OPEN, PUNCHABLE, List.of()),
        Firewall.UNKNOWN, true).kind(), "an OPEN server is dialled even when it offers a holepunch");
  }

  @Test
  void shouldWaitForTheBlindRelayWhenItPairsTheStreamAndAFirewalledServerOffersNoRelay() {
    NoisePayload noRelays = payload(Firewall.UNKNOWN, new HolepunchInfo(1, List.of()), List.of(SERVER));
    assertEquals(new ConnectPath(ConnectPath.Kind.RELAY, null, false),
        ConnectPath.choose(RELAY, true, SERVER, CLIENT, noRelays, Firewall.UNKNOWN, true, MINE, true));
    assertEquals(ConnectPath.Kind.OPEN, ConnectPath.choose(RELAY, true, SERVER, CLIENT,
        payload(Firewall.OPEN, null, List.of(SERVER)), Firewall.UNKNOWN, true, MINE, true).kind(),
        "an OPEN server is dialled even when a blind relay pairs the stream");
  }

  @Test
  void shouldWaitWhenWeAreReachableAndTheServerWouldPunch() {
    assertEquals(ConnectPath.Kind.PASSIVE, choose(true, CLIENT, payload(Firewall.UNKNOWN, PUNCHABLE, List.of()),
        Firewall.OPEN, true).kind());
  }

  @Test
  void shouldTakeTheLanPathFromTheServerSocketOnTheSameHost() {
    HostPort lan = new HostPort("127.0.0.1", 5001);
    ConnectPath path = choose(true, CLIENT, payload(Firewall.UNKNOWN, PUNCHABLE, List.of(lan, new HostPort(
        "0.0.0.0", 1))), Firewall.UNKNOWN, true);
    assertEquals(ConnectPath.Kind.LAN, path.kind());
    assertEquals(lan, path.address());
    assertTrue(path.fromServerSocket(), "JS dials the LAN from its server socket");
    HostPort other = new HostPort("10.1.1.1", 5002);
    assertEquals(other, choose(true, CLIENT, payload(Firewall.UNKNOWN, PUNCHABLE, List.of(other)), Firewall.UNKNOWN,
        true).address(), "no prefix match: the first private address");
  }

  @Test
  void shouldPunchWhenNoOtherPathReachesAPunchableServer() {
    NoisePayload punchable = payload(Firewall.UNKNOWN, PUNCHABLE, List.of(new HostPort("127.0.0.1", 5001)));
    assertEquals(ConnectPath.Kind.PUNCH, choose(true, CLIENT, punchable, Firewall.UNKNOWN, false).kind(),
        "LAN connections off");
    assertEquals(ConnectPath.Kind.PUNCH, choose(true, new HostPort("8.8.4.4", 1), punchable,
        Firewall.UNKNOWN, true).kind(), "another public host");
    ConnectPath none = choose(true, CLIENT, payload(Firewall.UNKNOWN, PUNCHABLE, List.of()), Firewall.UNKNOWN, true);
    assertEquals(ConnectPath.Kind.PUNCH, none.kind(), "no private address offered");
    assertFalse(none.fromServerSocket());
  }
}
