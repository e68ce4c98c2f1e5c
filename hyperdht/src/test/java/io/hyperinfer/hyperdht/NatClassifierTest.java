package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import java.util.List;
import org.junit.jupiter.api.Test;

class NatClassifierTest {
  private static HostPort node(int i) {
    return new HostPort("10.0.0." + i, 49737);
  }

  private static NatClassifier sampled(String... seen) {
    NatClassifier nat = new NatClassifier(true);
    for (int i = 0; i < seen.length; i++) {
      String[] hp = seen[i].split(":");
      nat.add(new HostPort(hp[0], Integer.parseInt(hp[1])), node(i + 1));
    }
    return nat;
  }

  @Test
  void shouldStayUnknownWhenFewerThanThreeSamples() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:1000");
    assertEquals(Firewall.UNKNOWN, nat.firewall());
    assertNull(nat.addresses());
    assertFalse(nat.settled());
  }

  @Test
  void shouldBeConsistentWhenThreeNodesSeeOneAddress() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:1000", "1.2.3.4:1000");
    assertEquals(Firewall.CONSISTENT, nat.firewall());
    assertTrue(nat.settled(), "a consistent verdict needs no fourth sample");
    assertEquals(List.of(new HostPort("1.2.3.4", 1000)), nat.addresses());
  }

  @Test
  void shouldBeRandomWhenEveryNodeSeesAnotherPort() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:1001", "1.2.3.4:1002");
    assertEquals(Firewall.RANDOM, nat.firewall());
    assertEquals(List.of(new HostPort("1.2.3.4", 0)), nat.addresses(), "a random NAT tells only its host");
  }

  @Test
  void shouldBeRandomWhenOneHostHasTwoHitsOfFourSamples() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:1000", "1.2.3.4:1001");
    assertEquals(Firewall.UNKNOWN, nat.firewall(), "2 of 3: undecided");
    nat.add(new HostPort("1.2.3.4", 1002), node(9));
    assertEquals(Firewall.RANDOM, nat.firewall());
    assertTrue(nat.settled());
  }

  @Test
  void shouldPutTheMostSeenAddressFirstWhenItOvertakesAnEarlierOne() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:2000", "1.2.3.4:2000", "1.2.3.4:2000");
    assertEquals(Firewall.CONSISTENT, nat.firewall());
    assertEquals(List.of(new HostPort("1.2.3.4", 2000), new HostPort("1.2.3.4", 1000)), nat.addresses(),
        "ranked by hits: the port three nodes saw, then the one-off");
  }

  @Test
  void shouldStayUnknownWhenUnfrozenBeforeThreeSamples() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:1000");
    nat.freeze();
    nat.unfreeze();
    assertEquals(Firewall.UNKNOWN, nat.firewall(), "two samples decide nothing, frozen or not");
    assertNull(nat.addresses());
  }

  @Test
  void shouldBeConsistentWhenTwoHostsEachHaveTwoHits() {
    NatClassifier nat = sampled("1.2.3.4:1000", "5.6.7.8:2000", "1.2.3.4:1000", "5.6.7.8:2000");
    assertEquals(Firewall.CONSISTENT, nat.firewall());
    assertEquals(List.of(new HostPort("1.2.3.4", 1000), new HostPort("5.6.7.8", 2000)), nat.addresses());
  }

  @Test
  void shouldWaitForAFifthSampleWhenTwoHostsDisagree() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:1000", "5.6.7.8:2000", "9.9.9.9:1");
    assertEquals(Firewall.UNKNOWN, nat.firewall());
    assertTrue(nat.settled(), "four samples are all the sampler asks for");
    nat.add(new HostPort("8.8.8.8", 3), node(9));
    assertEquals(Firewall.RANDOM, nat.firewall(), "no decision after every sample: random");
  }

  @Test
  void shouldCountOneSamplePerResponder() {
    NatClassifier nat = new NatClassifier(true);
    for (int i = 0; i < 5; i++) {
      nat.add(new HostPort("1.2.3.4", 1000), node(1));
    }
    assertEquals(1, nat.sampled());
    assertEquals(Firewall.UNKNOWN, nat.firewall());
  }

  @Test
  void shouldKeepItsViewWhenFrozenAndCatchUpWhenUnfrozen() {
    NatClassifier nat = sampled("1.2.3.4:1000", "1.2.3.4:1000", "1.2.3.4:1000");
    nat.freeze();
    nat.add(new HostPort("1.2.3.4", 7), node(8));
    nat.add(new HostPort("1.2.3.4", 8), node(9));
    nat.add(new HostPort("1.2.3.4", 9), node(10));
    assertEquals(Firewall.CONSISTENT, nat.firewall());
    assertEquals(List.of(new HostPort("1.2.3.4", 1000)), nat.addresses());
    nat.unfreeze();
    assertEquals(Firewall.CONSISTENT, nat.firewall(), "three hits still lead");
    assertEquals(2, nat.addresses().size(), "padded to two addresses");
  }

  @Test
  void shouldBeOpenWhenTheNodeIsNotFirewalled() {
    NatClassifier nat = new NatClassifier(false);
    assertEquals(Firewall.OPEN, nat.firewall());
    assertTrue(nat.settled());
    nat.add(new HostPort("1.2.3.4", 1000), node(1));
    assertEquals(Firewall.OPEN, nat.firewall());
    assertEquals(List.of(new HostPort("1.2.3.4", 1000)), nat.addresses());
  }
}
