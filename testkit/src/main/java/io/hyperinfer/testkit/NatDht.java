package io.hyperinfer.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The DHT of a {@link NatTestbed}'s internet: the pinned JS bootstrapper and persistent nodes, one per
 * infrastructure address, all on {@link #PORT} ({@code nat/testnet.js}), and optionally a blind relay on the last
 * node. Every node has an id, so peers' NAT classifiers get their samples. Closing ends it. Thread-safe.
 */
public final class NatDht implements AutoCloseable {
  /** The port every infrastructure node binds on its own address (hyperdht's default). */
  public static final int PORT = 49737;
  private static final Duration READY = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A blind-relay server reachable on the DHT under {@code publicKey}. */
  public record Relay(String publicKey, String host, int port) {}

  private final JsProcess process;
  private final String bootstrap;
  private final List<String> nodeIds;
  private final Relay relay;

  private NatDht(JsProcess process, JsonNode ready) {
    this.process = process;
    this.bootstrap = ready.get("bootstrap").asText();
    List<String> ids = new ArrayList<>();
    ready.get("nodes").forEach(n -> {
      if (!n.get("id").isNull()) {
        ids.add(n.get("id").asText());
      }
    });
    this.nodeIds = List.copyOf(ids);
    JsonNode r = ready.get("relay");
    this.relay = r == null || r.isNull() ? null
        : new Relay(r.get("publicKey").asText(), r.get("host").asText(), r.get("port").asInt());
  }

  /** Starts the DHT in {@code bed}'s internet; with {@code relaySeed}, a blind relay keyed by that seed too. */
  public static NatDht start(NatTestbed bed, OptionalInt relaySeed) {
    List<String> args = new ArrayList<>(List.of(
        Integer.toString(PORT), String.join(",", bed.topology().infrastructureAddresses())));
    relaySeed.ifPresent(seed -> args.add(Integer.toString(seed)));
    JsProcess process = bed.startNode(bed.internetNamespace(), NatTestbed.script("testnet.js"),
        args.toArray(String[]::new));
    JsonNode ready = parse(process.awaitLine(l -> l.contains("\"event\":\"ready\"") || l.contains("\"error\""),
        READY));
    if (!"ready".equals(ready.get("event").asText())) {
      process.close();
      throw new AssertionError("the testbed DHT did not start: " + ready + "\nstderr: " + process.stderr());
    }
    return new NatDht(process, ready);
  }

  /** {@code host:port} of the bootstrapper. */
  public String bootstrap() {
    return bootstrap;
  }

  /** The ids of the nodes that have one (all of them once bootstrapped). */
  public List<String> nodeIds() {
    return nodeIds;
  }

  public Optional<Relay> relay() {
    return Optional.ofNullable(relay);
  }

  /** The relay's blind-relay counters ({@code pairings.matched} and so on), or null without a relay. */
  public JsonNode relayStats() {
    process.send("stats");
    return parse(process.awaitLine(l -> l.contains("\"event\":\"stats\""), READY)).get("relay");
  }

  @Override
  public void close() {
    process.close();
  }

  static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("not a JSON line: " + line, e);
    }
  }
}
