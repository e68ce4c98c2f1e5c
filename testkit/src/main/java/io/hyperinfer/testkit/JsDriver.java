package io.hyperinfer.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A long-lived JS driver script spoken to in JSON lines, one call at a time: the script prints {@code {"ready":true}}
 * once, then answers each {@code {"id", "op", ...args}} line with {@code {"id", "ok": true, "result"}} or
 * {@code {"id", "ok": false, "error"}}. One driver per test class keeps node start-up out of each test. Thread-safe.
 */
public final class JsDriver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final JsProcess process;
  private int nextId;

  private JsDriver(JsProcess process) {
    this.process = process;
  }

  /** Starts {@code script} (relative to the project root) and waits for its ready line. */
  public static JsDriver start(String script) {
    JsProcess p = JsPeers.start(ProjectPaths.root().resolve(Path.of(script)));
    p.awaitLine(l -> l.contains("\"ready\""), WAIT);
    return new JsDriver(p);
  }

  /** {@code key, value, key, value...} as call arguments. */
  public static Map<String, Object> args(Object... kv) {
    if (kv.length % 2 != 0) {
      throw new IllegalArgumentException("arguments come in key, value pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  /** Runs {@code op}; the whole answer ({@code ok}, then {@code result} or {@code error}). */
  public synchronized JsonNode call(String op, Map<String, ?> args) {
    int id = ++nextId;
    ObjectNode msg = JSON.valueToTree(args);
    msg.put("id", id);
    msg.put("op", op);
    process.send(msg.toString());
    String prefix = "{\"id\":" + id + ",";
    try {
      return JSON.readTree(process.awaitLine(l -> l.startsWith(prefix), WAIT));
    } catch (IOException e) {
      throw new AssertionError("bad driver output", e);
    }
  }

  /** Runs {@code op} with {@link #args} and returns its result; fails the test if JS failed. */
  public JsonNode ok(String op, Object... kv) {
    return ok(op, args(kv));
  }

  /** Runs {@code op} with {@code args} and returns its result; fails the test if JS failed. */
  public JsonNode ok(String op, Map<String, ?> args) {
    JsonNode r = call(op, args);
    if (!r.get("ok").asBoolean()) {
      throw new AssertionError("JS " + op + " failed: " + r.get("error") + "\nstderr: " + process.stderr());
    }
    return r.get("result");
  }

  /** Runs {@code op} expecting it to fail; returns the JS error code. */
  public String error(String op, Object... kv) {
    JsonNode r = call(op, args(kv));
    if (r.get("ok").asBoolean()) {
      throw new AssertionError("JS " + op + " succeeded: " + r.get("result"));
    }
    return r.get("error").asText();
  }

  @Override
  public void close() {
    process.close();
  }
}
