package io.hyperinfer.hyperdht;

import static io.hyperinfer.hyperdht.Js.addrs;
import static io.hyperinfer.hyperdht.Js.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsDriver;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A JS client connecting to a JS server when every node that holds the server's records is a Java node (D1-13): the
 * Java relays must forward the Noise handshake, and, with the LAN shortcut off on a network of five nodes with ids,
 * the holepunch rounds too. The JS nodes are ephemeral (so they store nothing) and firewalled (so they punch). hyperdht#304 (same-host JS streams that
 * stall after opening) does not touch these checks: they end at the connection's open.
 */
@Timeout(120)
class ForwardingInteropIT {
  private static JsDriver js;
  private static Testnet java;
  private static Set<HostPort> javaAddresses;

  @BeforeAll
  static void network() {
    js = Js.driver();
    java = Testnet.create(5);
    javaAddresses = new HashSet<>(java.nodes().stream().map(HyperDht::localAddress).toList());
    for (String name : List.of("server", "client")) {
      // Java answers PING_NAT fast enough for JS's quick firewall check to pass on loopback, which would make the
      // server OPEN and skip punching; keep both behind their (pretend) firewall, as JS testnet clients usually are.
      JsonNode state = js.ok("node", "name", name, "bootstrap", addrs(java.bootstrap()), "ephemeral", true,
          "quickFirewall", false);
      assertTrue(state.get("firewalled").asBoolean(), name + " is firewalled");
    }
  }

  @AfterAll
  static void close() {
    if (js != null) {
      js.close();
    }
    if (java != null) {
      java.close();
    }
  }

  private static long javaTotal(ToLongFunction<HyperDhtStats> counter) {
    return java.nodes().stream().mapToLong(n -> counter.applyAsLong(n.stats())).sum();
  }

  private static int consistentPunches(String node) {
    return js.ok("punches", "name", node).get("consistent").asInt();
  }

  private static String listenOnJavaRelays(int seed) {
    JsonNode listening = js.ok("listen", "name", "server", "seed", seed);
    List<HostPort> relays = addrs(listening.get("relays"));
    assertTrue(!relays.isEmpty() && javaAddresses.containsAll(relays), "every relay is a Java node: " + relays);
    return listening.get("publicKey").asText();
  }

  @Test
  void shouldOpenTheConnectionWhenJavaNodesRelayTheHandshake() {
    String publicKey = listenOnJavaRelays(30);
    long before = javaTotal(HyperDhtStats::handshakesForwarded);

    JsonNode connected = js.ok("connect", "name", "client", "publicKey", publicKey);

    assertEquals(publicKey, connected.get("remotePublicKey").asText());
    assertTrue(javaTotal(HyperDhtStats::handshakesForwarded) >= before + 2,
        "a Java relay passed message 1 to the server and message 2 back");
  }

  @Test
  void shouldHolepunchThroughJavaRelaysWhenTheLanShortcutIsOff() {
    String publicKey = listenOnJavaRelays(31);
    long before = javaTotal(HyperDhtStats::holepunchesForwarded);
    int clientPunches = consistentPunches("client");
    int serverPunches = consistentPunches("server");

    JsonNode connected = js.ok("connect", "name", "client", "publicKey", publicKey, "localConnection", false,
        "fastOpen", false);

    assertEquals(publicKey, connected.get("remotePublicKey").asText());
    assertEquals(clientPunches + 1, consistentPunches("client"), "a consistent punch, client side");
    assertEquals(serverPunches + 1, consistentPunches("server"), "and server side");
    assertTrue(javaTotal(HyperDhtStats::holepunchesForwarded) >= before + 2, "rounds went through Java relays");
  }
}
