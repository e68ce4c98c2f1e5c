package io.hyperinfer.worker.testkit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test data, unique per call so tests never collide on shared state: users, passwords that pass the password policy,
 * API key requests, worker contexts. Thread-safe.
 */
public final class TestDataFactory {
  private static final AtomicLong SEQ = new AtomicLong();

  private TestDataFactory() {}

  /** Next number of the process-wide sequence. */
  public static long unique() {
    return SEQ.incrementAndGet();
  }

  /** A new unique email address, e.g. {@code user-17@example.test}. */
  public static String email() {
    return "user-" + unique() + "@example.test";
  }

  /** A password with upper and lower case letters, digits and a symbol, 16+ characters, unique per call. */
  public static String password() {
    return "Passw0rd!-" + unique() + "-xYz";
  }

  /** {@code {email, password}} for register and login. */
  public static ObjectNode user() {
    ObjectNode u = Json.object();
    u.put("email", email());
    u.put("password", password());
    return u;
  }

  /** {@code user()} with the given fields replaced. */
  public static ObjectNode user(ObjectNode overrides) {
    ObjectNode u = user();
    u.setAll(overrides);
    return u;
  }

  /** A createApiKey request: a unique name, no expiry, no allowlist. */
  public static ObjectNode apiKeyRequest() {
    ObjectNode k = Json.object();
    k.put("name", "key-" + unique());
    return k;
  }

  /** A unique worker context of {@code type} in env "test". */
  public static WorkerContext context(String type) {
    return new WorkerContext(type, "test", type + "-" + unique());
  }
}
