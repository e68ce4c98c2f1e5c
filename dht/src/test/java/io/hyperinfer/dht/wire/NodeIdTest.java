package io.hyperinfer.dht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.Vectors;
import org.junit.jupiter.api.Test;

class NodeIdTest {
  @Test
  void shouldHashTheIpv4AddressAsJsPeerIdDoes() {
    for (String addr : new String[] {"127.0.0.1:49737", "127.0.0.1:49738", "88.99.3.86:49737"}) {
      String[] parts = addr.split(":");
      assertArrayEquals(Vectors.hex("/nodeId/" + addr), NodeId.of(parts[0], Integer.parseInt(parts[1])), addr);
    }
  }

  @Test
  void shouldMatchOnlyTheSourceTheIdWasDerivedFrom() {
    HostPort a = new HostPort("127.0.0.1", 49737);
    assertTrue(NodeId.matches(NodeId.of(a), a));
    assertFalse(NodeId.matches(NodeId.of(a), new HostPort("127.0.0.1", 49738)));
    assertFalse(NodeId.matches(null, a));
  }
}
