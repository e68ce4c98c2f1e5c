package io.hyperinfer.dht.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/** The long-lived JS dht-rpc driver ({@code src/test/js/dht-driver.js}) of one test class: one call at a time. */
final class JsDriver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final JsProcess process;
  private int nextId;

  private JsDriver(JsProcess process) {
    this.process = process;
  }

  static JsDriver start() {
    JsProcess p = JsPeers.start(ProjectPaths.root().resolve("dht/src/test/js/dht-driver.js"));
    p.awaitLine(l -> l.contains("\"ready\""), WAIT);
    return new JsDriver(p);
  }

  /** Runs {@code op}; returns the whole answer ({@code ok}, {@code result} or {@code error}). */
  synchronized JsonNode call(String op, Map<String, ?> args) {
    int id = ++nextId;
    ObjectNode msg = JSON.valueToTree(args);
    msg.put("id", id);
    msg.put("op", op);
    process.send(msg.toString());
    String prefix = "{\"id\":" + id + ",";
    try {
      return JSON.readTree(process.awaitLine(l -> l.startsWith(prefix), WAIT));
    } catch (java.io.IOException e) {
      throw new AssertionError("bad driver output", e);
    }
  }

  /** Runs {@code op} and returns its result; fails the test if JS failed. */
  JsonNode ok(String op, Map<String, ?> args) {
    JsonNode r = call(op, args);
    if (!r.get("ok").asBoolean()) {
      throw new AssertionError("JS " + op + " failed: " + r.get("error") + "\nstderr: " + process.stderr());
    }
    return r.get("result");
  }

  /** Runs {@code op} expecting it to fail; returns the JS error code. */
  String error(String op, Map<String, ?> args) {
    JsonNode r = call(op, args);
    if (r.get("ok").asBoolean()) {
      throw new AssertionError("JS " + op + " succeeded: " + r.get("result"));
    }
    return r.get("error").asText();
  }

  static Map<String, Object> addr(HostPort a) {
    return Map.of("host", a.host(), "port", a.port());
  }

  static HostPort addr(JsonNode a) {
    return new HostPort(a.get("host").asText(), a.get("port").asInt());
  }

  static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  static byte[] bytes(JsonNode hex) {
    return hex == null || hex.isNull() ? null : HexFormat.of().parseHex(hex.asText());
  }

  @Override
  public void close() {
    process.close();
  }
}
