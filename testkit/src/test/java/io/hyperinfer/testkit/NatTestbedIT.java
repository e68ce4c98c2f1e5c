package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The testbed itself, with plain UDP and no DHT: each NAT kind maps and filters as its name says, every namespace
 * stays inside the address plan, and namespaces disappear on close and after an aborted run.
 */
@Timeout(120)
class NatTestbedIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String A1 = "10.77.0.1:7001";
  private static final String A2 = "10.77.0.1:7002";
  private static final String A3 = "10.77.0.1:7003";
  private static final String B1 = "10.77.0.2:7001";
  private static final String B2 = "10.77.0.2:7002";
  private static NatTestbed bed;
  private static JsProcess reflector;

  @BeforeAll
  static void start() {
    JsPeers.require();
    bed = NatTestbed.start(NatTopology.of(4)
        .site("cone", NatKind.FULL_CONE, "fc")
        .site("home", NatKind.PORT_RESTRICTED, "pr")
        .site("cell", NatKind.SYMMETRIC, "sy")
        .open("op"));
    reflector = bed.startNode(bed.internetNamespace(), NatTestbed.script("udp-probe.js"), "reflect",
        "10.77.0.1,10.77.0.2", "7001,7002,7003");
    reflector.awaitLine(l -> l.contains("\"ready\""), WAIT);
  }

  @AfterAll
  static void stop() {
    if (bed != null) {
      bed.close();
    }
  }

  @Test
  void shouldMapEndpointIndependentlyWhenNatIsAConeOrAbsent() {
    for (String peer : List.of("fc", "pr", "op")) {
      Probe probe = probe(peer);
      Set<String> mappings = new HashSet<>(probe.mapped());
      assertEquals(1, mappings.size(), peer + " maps one source to one public address: " + probe.mapped());
      String mapped = mappings.iterator().next();
      assertEquals(bed.placement(peer).publicAddress() + ":" + probe.local(), mapped,
          peer + " keeps its port behind the NAT");
      probe.process().close();
    }
  }

  @Test
  void shouldMapEachDestinationToItsOwnPortWhenNatIsSymmetric() {
    Probe probe = probe("sy");
    Set<String> mappings = new HashSet<>(probe.mapped());
    assertEquals(3, mappings.size(), "a new random port per destination: " + probe.mapped());
    mappings.forEach(m -> assertTrue(m.startsWith(bed.placement("sy").publicAddress() + ":"), m));
    probe.process().close();
  }

  @Test
  void shouldLetUnsolicitedDatagramsInOnlyWhenNatIsAFullConeOrAbsent() {
    for (String peer : List.of("fc", "op", "pr", "sy")) {
      Probe probe = probe(peer);
      String target = probe.mapped().getFirst();
      // Strangers first, then the contacted endpoint: over one path they arrive in order, so whatever precedes
      // "control" got through the filter and the rest never will.
      send(A3, target, "stranger-port");
      send(B2, target, "stranger-host");
      send(A1, target, "control");
      List<String> got = new ArrayList<>();
      while (!got.contains("control")) {
        got.add(NatDht.parse(probe.process().awaitLine(l -> l.contains("\"got\""), WAIT)).get("text").asText());
      }
      boolean open = peer.equals("fc") || peer.equals("op");
      assertEquals(open ? List.of("stranger-port", "stranger-host", "control") : List.of("control"), got, peer);
      probe.process().close();
    }
  }

  @Test
  void shouldConnectJsPeersThroughTheTestbedDhtWhenTheServerSitsBehindANat() {
    try (NatDht dht = NatDht.start(bed, OptionalInt.of(7));
        NatPeer server = NatPeer.js(bed, "pr", dht.bootstrap());
        NatPeer client = NatPeer.js(bed, "op", dht.bootstrap())) {
      assertEquals(4, dht.nodeIds().size(), "every DHT node has an id, so NAT classification can work");
      assertEquals("10.77.0.4", dht.relay().orElseThrow().host());
      NatPeer.Listening listening = server.listen(1, Map.of());
      assertTrue(listening.firewalled(), "a peer behind a NAT is firewalled");
      NatPeer.ConnectResult result = client.connect(listening.publicKey(), Map.of(),
          dht.relay().orElseThrow().host(), WAIT);
      assertTrue(result.connected(), result.toString());
      assertTrue(result.echoMs() >= result.connectMs(), result.toString());
      assertTrue(result.remote().startsWith("10.77.0.12:"), "the server's public address: " + result);
      NatPeer.Accepted accepted = server.awaitAccepted(WAIT);
      assertTrue(accepted.remote().startsWith("10.77.0.101:"), "the client as the server saw it: " + accepted);
      assertEquals(0, server.stats().path("relaying").path("attempts").asInt());
      assertEquals(0, dht.relayStats().path("pairings").path("matched").asInt());
    }
  }

  @Test
  void shouldRouteOnlyInsideTheAddressPlanWhenAnyNamespaceIsAsked() {
    for (String ns : bed.namespaces()) {
      String routes = bed.run(ns, "ip", "-4", "route");
      assertFalse(routes.contains("default"), ns + " has a default route:\n" + routes);
      for (String line : routes.lines().toList()) {
        assertTrue(line.startsWith("10.77.0.0/24 ") || line.startsWith("192.168."), ns + ": " + line);
      }
      for (String address : bed.run(ns, "ip", "-4", "-o", "addr").lines().toList()) {
        assertTrue(address.contains(" inet 10.77.0.") || address.contains(" inet 192.168.")
            || address.contains(" inet 127.0.0.1/8"), ns + ": " + address);
      }
      assertEquals("", bed.run(ns, "ip", "-6", "-o", "addr").strip(), ns + " has IPv6 addresses");
    }
  }

  @Test
  void shouldDeleteEveryNamespaceWhenClosedOrLeftByADeadJvm() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    String stale = NatTestbed.PREFIX + gone.pid() + "-1-inet";
    HostCommands.run(List.of(NatSupport.ip(), "netns", "add", stale), "");
    List<String> made;
    try (NatTestbed other = NatTestbed.start(NatTopology.of(1).site("x", NatKind.SYMMETRIC, "y"))) {
      made = other.namespaces();
      assertEquals(3, made.size(), made.toString());
      assertTrue(NatSupport.listNamespaces().containsAll(made));
      assertFalse(NatSupport.listNamespaces().contains(stale), "the dead run's namespace is removed first");
      assertTrue(NatSupport.listNamespaces().containsAll(bed.namespaces()), "a live run's are kept");
    }
    List<String> left = NatSupport.listNamespaces();
    made.forEach(ns -> assertFalse(left.contains(ns), ns + " left behind"));
  }

  private record Probe(JsProcess process, int local, List<String> mapped) {}

  private static Probe probe(String peer) {
    JsProcess process = bed.startNode(bed.namespace(peer), NatTestbed.script("udp-probe.js"), "probe",
        bed.placement(peer).address(), String.join(",", A1, A2, B1));
    JsonNode mapped = NatDht.parse(process.awaitLine(l -> l.contains("\"mapped\""), WAIT));
    List<String> list = List.of(mapped.get("mapped").get(A1).asText(), mapped.get("mapped").get(A2).asText(),
        mapped.get("mapped").get(B1).asText());
    assertNotEquals(0, mapped.get("local").asInt());
    return new Probe(process, mapped.get("local").asInt(), list);
  }

  private static void send(String from, String to, String text) {
    reflector.send("{\"from\":\"" + from + "\",\"to\":\"" + to + "\",\"text\":\"" + text + "\"}");
  }
}
