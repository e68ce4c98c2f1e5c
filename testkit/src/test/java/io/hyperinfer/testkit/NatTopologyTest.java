package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class NatTopologyTest {
  private final NatTopology topology = NatTopology.of(6)
      .site("home", NatKind.PORT_RESTRICTED, "a", "b")
      .site("cell", NatKind.SYMMETRIC, "c")
      .open("d");

  @Test
  void shouldPlaceEveryPeerInItsOwnPrivateRangeWhenPlanned() {
    var placements = topology.placements();
    assertEquals(List.of("a", "b", "c", "d"), List.copyOf(placements.keySet()));
    assertEquals("192.168.11.2", placements.get("a").address());
    assertEquals("192.168.11.3", placements.get("b").address());
    assertEquals("10.77.0.11", placements.get("a").publicAddress());
    assertEquals("10.77.0.11", placements.get("b").publicAddress());
    assertEquals("192.168.12.2", placements.get("c").address());
    assertEquals("10.77.0.12", placements.get("c").publicAddress());
    assertEquals("10.77.0.101", placements.get("d").address());
    assertEquals("10.77.0.101", placements.get("d").publicAddress());
    assertNull(placements.get("d").site());
    assertEquals(NatKind.SYMMETRIC, placements.get("c").site().kind());
  }

  @Test
  void shouldGiveTheBootstrapperTheFirstAddressWhenInfrastructureIsListed() {
    assertEquals(List.of("10.77.0.1", "10.77.0.2", "10.77.0.3", "10.77.0.4", "10.77.0.5", "10.77.0.6"),
        topology.infrastructureAddresses());
  }

  @Test
  void shouldRejectTopologyWhenNamesClashOrBreakTheRules() {
    NatTopology base = NatTopology.of(4);
    assertThrows(IllegalArgumentException.class, () -> base.site("x", NatKind.SYMMETRIC, "p").open("p"));
    assertThrows(IllegalArgumentException.class, () -> base.site("x", NatKind.SYMMETRIC, "p")
        .site("x", NatKind.SYMMETRIC, "q"));
    assertThrows(IllegalArgumentException.class, () -> base.site("Bad", NatKind.SYMMETRIC, "p"));
    assertThrows(IllegalArgumentException.class, () -> base.open("a-very-long-name"));
    assertThrows(IllegalArgumentException.class, () -> base.site("x", NatKind.SYMMETRIC));
    assertThrows(IllegalArgumentException.class, () -> base.site("x", NatKind.FULL_CONE, "p", "q"));
    assertThrows(IllegalArgumentException.class, () -> NatTopology.of(0));
    assertThrows(IllegalArgumentException.class, () -> NatTopology.of(10));
  }

  @Test
  void shouldForwardInboundOnlyInTheFullConeWhenRulesAreRendered() {
    String cone = NatKind.FULL_CONE.ruleset("192.168.11.2");
    String restricted = NatKind.PORT_RESTRICTED.ruleset("192.168.12.2");
    String symmetric = NatKind.SYMMETRIC.ruleset("192.168.13.2");
    assertTrue(cone.contains("iifname \"wan0\" meta l4proto udp dnat to 192.168.11.2"));
    assertTrue(cone.contains("ct status dnat accept"));
    assertFalse(restricted.contains("dnat"));
    assertFalse(symmetric.contains("dnat"));
    assertTrue(symmetric.contains("oifname \"wan0\" masquerade random\n"));
    assertTrue(restricted.contains("oifname \"wan0\" masquerade\n"));
    for (String rules : List.of(cone, restricted, symmetric)) {
      assertTrue(rules.contains("iifname \"wan0\" drop"), rules);
      assertTrue(rules.contains("policy drop"), rules);
    }
  }
}
