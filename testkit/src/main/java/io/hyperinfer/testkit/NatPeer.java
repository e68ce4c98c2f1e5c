package io.hyperinfer.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A HyperDHT peer inside a {@link NatTestbed} namespace, driven by the testbed's line protocol: one JSON command per
 * stdin line, JSON events on stdout ({@code docs/NAT-TESTBED.md}, "Peer protocol"). {@code nat/peer.js} speaks it
 * for the pinned JS; any other implementation that speaks it plugs in through {@link #start(NatTestbed, String,
 * String, List)}. Each command makes a fresh DHT, so trials stay independent. Confined to one test thread.
 */
public final class NatPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SETUP = Duration.ofSeconds(30);

  /** How a connect ended, from the client's side. */
  public enum Outcome { DIRECT, PUNCHED, RELAYED, FAILED }

  /** A server that listens: its public key, whether its DHT thinks it is firewalled, the time listen() took. */
  public record Listening(String publicKey, boolean firewalled, long ms) {}

  /**
   * A connect attempt: the outcome, time to the stream's open and to the first echoed message (null when failed),
   * time to the outcome (a failure's too), the socket the stream ended on ({@code server-socket}, {@code client-socket}, {@code puncher-socket},
   * {@code relay}), the remote address, both NAT classes as the holepuncher saw them (null when no round ran), the
   * client's {@code dht.stats.punches}, the error code of a failure and the connect's trace where the peer reports
   * one (the Java peer does; null otherwise), so a failed trial in a report says where the connect stopped.
   */
  public record ConnectResult(Outcome outcome, Long connectMs, Long echoMs, long elapsedMs, String path,
      String remote, String localFirewall, String remoteFirewall, Map<String, Integer> punches, String error,
      String trace) {
    public boolean connected() {
      return outcome != Outcome.FAILED;
    }
  }

  /** The server's view of one accepted connection. */
  public record Accepted(String path, String remote, String localFirewall, String remoteFirewall) {}

  private final String name;
  private final JsProcess process;

  private NatPeer(String name, JsProcess process) {
    this.name = name;
    this.process = process;
  }

  /** The pinned JS peer ({@code nat/peer.js}) inside {@code peer}'s namespace, bootstrapping from {@code bootstrap}. */
  public static NatPeer js(NatTestbed bed, String peer, String bootstrap) {
    JsPeers.require();
    return start(bed, peer, bootstrap, List.of("node", NatTestbed.script("peer.js").toString(), "{host}",
        "{bootstrap}"));
  }

  /**
   * Any implementation of the peer protocol inside {@code peer}'s namespace: {@code command} with {@code {host}}
   * replaced by the address to bind and {@code {bootstrap}} by {@code host:port}.
   */
  public static NatPeer start(NatTestbed bed, String peer, String bootstrap, List<String> command) {
    String host = bed.placement(peer).address();
    List<String> resolved = command.stream()
        .map(a -> a.replace("{host}", host).replace("{bootstrap}", bootstrap)).toList();
    return new NatPeer(peer, bed.start(bed.namespace(peer), resolved));
  }

  public String name() {
    return name;
  }

  /** A fresh server keyed by {@code DHT.keyPair(32 bytes of seed)}, echoing all data, with {@code opts}. */
  public Listening listen(int seed, Map<String, Object> opts) {
    ObjectNode command = JSON.createObjectNode().put("cmd", "listen").put("seed", seed);
    command.set("opts", JSON.valueToTree(opts));
    JsonNode event = call(command, "listening", SETUP);
    return new Listening(event.get("publicKey").asText(), event.get("firewalled").asBoolean(),
        event.get("ms").asLong());
  }

  /** A fresh client connecting to {@code publicKey}; a stream ending at {@code relayHost} counts as relayed. */
  public ConnectResult connect(String publicKey, Map<String, Object> opts, String relayHost, Duration timeout) {
    ObjectNode command = JSON.createObjectNode().put("cmd", "connect").put("publicKey", publicKey)
        .put("relayHost", relayHost).put("timeoutMs", timeout.toMillis());
    command.set("opts", JSON.valueToTree(opts));
    JsonNode e = call(command, "result", timeout.plus(SETUP));
    Map<String, Integer> punches = new TreeMap<>();
    e.path("punches").properties().forEach(p -> punches.put(p.getKey(), p.getValue().asInt()));
    return new ConnectResult(Outcome.valueOf(e.get("outcome").asText().toUpperCase(Locale.ROOT)),
        longOrNull(e.get("connectMs")), longOrNull(e.get("echoMs")), e.path("elapsedMs").asLong(),
        textOrNull(e.get("path")),
        textOrNull(e.get("remote")), textOrNull(e.path("firewall").get("local")),
        textOrNull(e.path("firewall").get("remote")), punches, textOrNull(e.get("error")),
        textOrNull(e.get("trace")));
  }

  /** The next connection this peer's server accepted; call after a client reported success. */
  public Accepted awaitAccepted(Duration timeout) {
    JsonNode e = NatDht.parse(process.awaitLine(l -> l.contains("\"event\":\"connection\""), timeout));
    return new Accepted(textOrNull(e.get("path")), textOrNull(e.get("remote")),
        textOrNull(e.path("firewall").get("local")), textOrNull(e.path("firewall").get("remote")));
  }

  /** {@code punches} and {@code relaying} counters of the current server's DHT. */
  public JsonNode stats() {
    return call(JSON.createObjectNode().put("cmd", "stats"), "stats", SETUP);
  }

  @Override
  public void close() {
    process.close();
  }

  private JsonNode call(ObjectNode command, String event, Duration timeout) {
    process.send(command.toString());
    String want = "\"event\":\"" + event + "\"";
    JsonNode reply = NatDht.parse(process.awaitLine(l -> l.contains(want) || l.contains("\"event\":\"error\""),
        timeout));
    if (!event.equals(reply.get("event").asText())) {
      throw new AssertionError(name + ": " + command + " failed: " + reply + "\nstderr: " + process.stderr());
    }
    return reply;
  }

  private static Long longOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asLong();
  }

  private static String textOrNull(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }
}
