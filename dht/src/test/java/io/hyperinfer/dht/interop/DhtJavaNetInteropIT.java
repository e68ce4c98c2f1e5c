package io.hyperinfer.dht.interop;

import static io.hyperinfer.dht.interop.DhtJs.addr;
import static io.hyperinfer.dht.interop.DhtJs.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.udx.UdxTestnet;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsDriver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Persistent JS nodes joining a Java network on 127.0.0.1 (HYPERDHT-NOTES D1-3, D1-4): one not firewalled, one
 * firewalled by default that must pass the firewall check through the Java nodes' PING_NAT answers.
 */
@Timeout(120)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DhtJavaNetInteropIT {
  private JsDriver js;
  private UdxTestnet java;

  @BeforeAll
  void start() {
    java = UdxTestnet.create(6);
    js = DhtJs.start();
  }

  @AfterAll
  void stop() {
    if (js != null) {
      js.close();
    }
    if (java != null) {
      java.close();
    }
  }

  private List<Map<String, Object>> bootstrap() {
    return List.of(addr(java.bootstrapper().localAddress()));
  }

  private void assertJavaTablesLearn(String idHex) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> java.nodes().stream()
        .filter(n -> n.nodes(100).stream().anyMatch(p -> p.id() != null && hex(p.id()).equals(idHex)))
        .count() >= 3);
  }

  @Test
  void shouldMakeAnUnfirewalledJsNodePersistentThroughJavaReplies() {
    JsonNode s = js.ok("node", Map.of("name", "open", "ephemeral", false, "firewalled", false,
        "bootstrap", bootstrap()));
    assertFalse(s.get("ephemeral").asBoolean());
    HostPort self = addr(s.get("address"));
    assertEquals(hex(NodeId.of(self)), s.get("id").asText(), "its id is the address Java nodes told it");
    assertEquals("127.0.0.1", s.get("host").asText());
    assertEquals(self.port(), s.get("port").asInt());
    assertJavaTablesLearn(s.get("id").asText());
  }

  @Test
  void shouldLetAFirewalledJsNodePassTheFirewallCheckThroughJavaPingNat() {
    JsonNode s = js.ok("node", Map.of("name", "checked", "ephemeral", false, "bootstrap", bootstrap()));
    assertFalse(s.get("firewalled").asBoolean(), "Java nodes ponged its server socket");
    assertFalse(s.get("ephemeral").asBoolean());
    HostPort server = new HostPort("127.0.0.1", s.get("serverPort").asInt());
    assertEquals(hex(NodeId.of(server)), s.get("id").asText());
    assertEquals(server, addr(s.get("remoteAddress")));
    assertJavaTablesLearn(s.get("id").asText());
    for (DhtNode n : java.nodes()) {
      assertTrue(n.stats().malformed() == 0, n + " dropped a JS datagram");
    }
  }
}
