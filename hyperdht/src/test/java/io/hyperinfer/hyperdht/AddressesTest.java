package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bogon ranges and address matching a connect uses ({@code bogon}, {@code holepuncher.js}). */
class AddressesTest {
  private static HostPort at(String host) {
    return new HostPort(host, 1000);
  }

  @Test
  void shouldClassifyPrivateRangesAsBogonButNotReserved() {
    for (String host : List.of("10.1.2.3", "100.64.0.1", "100.127.255.255", "127.0.0.1", "169.254.1.1", "172.16.0.1",
        "172.31.255.255", "192.168.1.1")) {
      assertTrue(Addresses.isPrivate(host), host);
      assertFalse(Addresses.isReserved(host), host);
      assertTrue(Addresses.isBogon(host), host);
    }
  }

  @Test
  void shouldClassifyReservedRanges() {
    for (String host : List.of("0.0.0.0", "192.0.0.5", "192.0.2.1", "198.18.0.1", "198.19.1.1", "198.51.100.7",
        "203.0.113.9", "224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255", "not-an-ip", "1.2.3", "1.2.3.256", "a.b.c.d", "1.2.3.x", "1.2.3.-1")) {
      assertTrue(Addresses.isReserved(host), host);
      assertTrue(Addresses.isBogon(host), host);
    }
  }

  @Test
  void shouldTreatPublicAddressesAsNeither() {
    for (String host : List.of("1.1.1.1", "100.63.0.1", "100.128.0.1", "172.15.0.1", "172.32.0.1", "192.169.0.1",
        "198.17.0.1", "198.20.0.1", "203.0.114.1", "223.255.255.255")) {
      assertFalse(Addresses.isBogon(host), host);
    }
  }

  @Test
  void shouldPickTheFirstPublicAddressElseTheFallback() {
    HostPort fallback = at("127.0.0.1");
    assertEquals(at("8.8.8.8"), Addresses.firstPublic(List.of(at("127.0.0.1"), at("8.8.8.8"), at("9.9.9.9")),
        fallback));
    assertEquals(fallback, Addresses.firstPublic(List.of(at("10.0.0.1"), at("192.168.0.2")), fallback));
    assertEquals(fallback, Addresses.firstPublic(List.of(), fallback));
  }

  @Test
  void shouldKeepPrivateAndPublicButDropReservedAddresses() {
    assertEquals(List.of(at("127.0.0.1"), at("8.8.8.8")),
        Addresses.nonReserved(List.of(at("127.0.0.1"), at("0.0.0.0"), at("8.8.8.8"), at("224.0.0.1"))));
  }

  @Test
  void shouldMatchTheLongestPrefix() {
    List<HostPort> mine = List.of(at("192.168.122.238"));
    assertEquals(at("192.168.122.1"), Addresses.matchAddress(mine,
        List.of(at("192.10.0.1"), at("192.168.0.23"), at("192.168.122.1"))));
    assertEquals(at("192.168.0.23"), Addresses.matchAddress(mine, List.of(at("192.10.0.1"), at("192.168.0.23"))));
    assertEquals(at("192.10.0.1"), Addresses.matchAddress(mine, List.of(at("10.0.0.1"), at("192.10.0.1"))));
    assertNull(Addresses.matchAddress(mine, List.of(at("10.0.0.1"))));
    assertNull(Addresses.matchAddress(mine, List.of()));
  }

  @Test
  void shouldOfferOnlyItselfWhenBoundToLoopback() {
    HostPort bound = new HostPort("127.0.0.1", 4242);
    assertEquals(List.of(bound), Addresses.localAddresses(bound));
    List<HostPort> any = Addresses.localAddresses(new HostPort("0.0.0.0", 4242));
    assertFalse(any.isEmpty());
    assertTrue(any.stream().allMatch(a -> a.port() == 4242 && !a.host().equals("0.0.0.0")), any.toString());
  }
}
