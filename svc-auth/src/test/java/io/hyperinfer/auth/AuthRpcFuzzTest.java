package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.worker.net.CancelSignal;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestHandler;
import io.hyperinfer.worker.net.RpcCall;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/** Hostile payloads against every handler: only typed Auth errors come back, never an internal failure. */
class AuthRpcFuzzTest {
  private static final String[] FIELDS = {"email", "password", "session", "name", "models", "limits", "keyId",
      "apiKey", "role", "granted", "expiresAt", "expiresInSeconds", "sessionId", "requestsPerMinute", "concurrency"};
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final ManualClock clock = new ManualClock();
  private final AuthStore store = TestStores.authStore(clock);
  private final KeyPair identity = Ed25519.generate();
  private final Accounts accounts = new Accounts(store, TestStores.settings(), clock);
  private final Sessions sessions = new Sessions(identity, store, clock, TestStores.settings().sessionTtl());
  private final PeerRef gateway = new PeerRef(Ed25519.generate().publicKey());
  private final Map<String, RequestHandler> handlers = new TreeMap<>();
  private final List<String> tokens = new ArrayList<>();
  private final List<String> keys = new ArrayList<>();

  AuthRpcFuzzTest() {
    // A net facility that only records the handlers registered on it: the test calls them directly.
    NetFacility net = (NetFacility) Proxy.newProxyInstance(NetFacility.class.getClassLoader(),
        new Class<?>[] {NetFacility.class}, (proxy, method, args) -> {
          if (!method.getName().equals("respond")) {
            throw new UnsupportedOperationException(method.getName());
          }
          handlers.put((String) args[0], (RequestHandler) args[1]);
          return null;
        });
    new AuthRpc(accounts, sessions, new ApiKeys(store, clock, 3), Set.of(gateway.hex()), identity.publicKey(), clock,
        NOPLogger.NOP_LOGGER).register(net);
  }

  private JsonNode call(String method, JsonNode payload) throws Exception {
    return handlers.get(method).handle(new RpcCall(method, payload, gateway, new CancelSignal()));
  }

  private JsonNode value(SplittableRandom r, int depth) {
    return switch (r.nextInt(depth > 1 ? 9 : 11)) {
      case 0 -> JSON.nullNode();
      case 1 -> JSON.booleanNode(r.nextBoolean());
      case 2 -> JSON.numberNode(r.nextLong());
      case 3 -> JSON.numberNode(r.nextInt(-3, 100));
      case 4 -> JSON.numberNode(r.nextDouble() * 1e30);
      case 5 -> JSON.textNode("x".repeat(r.nextInt(3) == 0 ? 9000 : r.nextInt(20)));
      case 6 -> JSON.textNode(pick(r, new String[] {"a@b", "root@example.com", "admin", "user", "hi_0123456789abcdef_x",
          "2030-01-01T00:00:00Z", "correct-Horse-7", "", " ", "\u0000", "ff".repeat(16)}));
      case 7 -> tokens.isEmpty() ? JSON.textNode("a.b") : JSON.textNode(pick(r, tokens.toArray(String[]::new)));
      case 8 -> keys.isEmpty() ? JSON.textNode("k") : JSON.textNode(pick(r, keys.toArray(String[]::new)));
      case 9 -> {
        ArrayNode a = JSON.arrayNode();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(value(r, depth + 1));
        }
        yield a;
      }
      default -> object(r, depth + 1);
    };
  }

  private ObjectNode object(SplittableRandom r, int depth) {
    ObjectNode o = JSON.objectNode();
    for (int i = r.nextInt(6); i > 0; i--) {
      o.set(pick(r, FIELDS), value(r, depth));
    }
    return o;
  }

  private static String pick(SplittableRandom r, String[] options) {
    return options[r.nextInt(options.length)];
  }

  @Tag("fuzz")
  @Test
  void shouldAnswerOnlyTypedErrorsWhenPayloadsAreHostile() throws Exception {
    call("register", JSON.objectNode().put("email", "root@example.com").put("password", "correct-Horse-7"));
    JsonNode login = call("login", JSON.objectNode().put("email", "root@example.com").put("password",
        "correct-Horse-7"));
    tokens.add(login.path("session").asText());
    JsonNode created = call("createApiKey", JSON.objectNode().put("session", tokens.getFirst()).put("name", "k"));
    keys.add(created.path("apiKey").asText());
    keys.add(created.path("key").path("keyId").asText());

    Set<String> allowed = new HashSet<>();
    for (AuthException.Code code : AuthException.Code.values()) {
      allowed.add(code.wire());
    }
    SplittableRandom r = Seeds.random("AuthRpcFuzzTest.hostile");
    String[] methods = handlers.keySet().toArray(String[]::new);
    int iterations = Seeds.fuzzIterations() / 10;
    int answered = 0;
    for (int i = 0; i < iterations; i++) {
      String method = pick(r, methods);
      JsonNode payload = r.nextInt(10) == 0 ? value(r, 1) : object(r, 1);
      try {
        JsonNode reply = call(method, payload);
        answered++;
        if (reply.hasNonNull("session")) {
          tokens.add(reply.get("session").asText());
        }
      } catch (NetException e) {
        assertTrue(allowed.contains(e.code()), method + " " + payload + " -> " + e);
      } catch (Exception e) {
        fail(method + " " + payload + " threw " + e);
      }
    }
    assertTrue(answered > 0, "some calls should have succeeded");
    assertEquals(1, accounts.list().size(), "random registrations cannot pass the email and password rules");
    assertEquals(HexFormat.of().formatHex(identity.publicKey()), call("sessionKey", JSON.objectNode())
        .path("publicKey").asText());
  }
}
