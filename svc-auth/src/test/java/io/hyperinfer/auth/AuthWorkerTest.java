package io.hyperinfer.auth;

import io.hyperinfer.contract.session.SessionClaims;
import io.hyperinfer.contract.session.SessionVerifier;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.WorkerStartException;
import io.hyperinfer.worker.net.memory.MemoryNetFacility;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each RPC handler of the Auth worker, reached through the in-memory net facility. */
class AuthWorkerTest {
  private final AuthHarness h;

  AuthWorkerTest() throws Exception {
    h = new AuthHarness();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
  }

  private ObjectNode session(String token) {
    return Json.object().put("session", token);
  }

  @Test
  void shouldAnswerRegisterWithPublicUserWhenValid() throws Exception {
    JsonNode user = h.register("Ann@Example.com");
    assertEquals("ann@example.com", user.path("email").asText());
    assertEquals("[\"user\"]", user.path("roles").toString());
    assertEquals(32, user.path("userId").asText().length());
    assertFalse(user.has("passwordHash"));
  }

  @Test
  void shouldAnswerLoginWithSignedSessionWhenCredentialsMatch() throws Exception {
    String userId = h.register("ann@example.com").path("userId").asText();
    JsonNode login = h.call(h.user, "login", Json.object().put("email", "ann@example.com")
        .put("password", AuthHarness.PASSWORD));
    SessionClaims claims = new SessionVerifier(h.auth.sessionPublicKey(), h.clock).verify(login.path("session")
        .asText());
    assertEquals(userId, claims.userId());
    assertEquals(claims.sessionId(), login.path("sessionId").asText());
    assertEquals(claims.expiresAt().toString(), login.path("expiresAt").asText());
  }

  @Test
  void shouldPublishSessionKeyWhenAsked() throws Exception {
    JsonNode reply = h.call(h.user, "sessionKey", Json.object());
    assertArrayEquals(h.auth.sessionPublicKey(), HexFormat.of().parseHex(reply.path("publicKey").asText()));
    assertArrayEquals(h.auth.identity().publicKey(), h.auth.sessionPublicKey());
  }

  @Test
  void shouldCarryRetryAfterWhenLoginIsThrottled() throws Exception {
    h.register("ann@example.com");
    ObjectNode wrong = Json.object().put("email", "ann@example.com").put("password", "wrong-Pass-1");
    for (int i = 0; i < 4; i++) {
      assertEquals("ERR_INVALID_CREDENTIALS", h.error(h.user, "login", wrong).code());
    }
    var throttled = h.error(h.user, "login", wrong);
    assertEquals("ERR_TOO_MANY_ATTEMPTS", throttled.code());
    assertEquals(1, throttled.details().path("retryAfterSeconds").asLong());
  }

  @Test
  void shouldManageKeysWhenSessionIsValid() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    ObjectNode create = session(token).put("name", "ci");
    create.putArray("models").add("llama3");
    create.putObject("limits").put("concurrency", 1);
    create.put("expiresAt", h.clock.instant().plusSeconds(3600).toString());
    JsonNode created = h.call(h.user, "createApiKey", create);
    String apiKey = created.path("apiKey").asText();
    String keyId = created.path("key").path("keyId").asText();
    assertTrue(apiKey.startsWith("hi_" + keyId + "_"));
    assertEquals(1, created.path("key").path("limits").path("concurrency").asLong());

    JsonNode listed = h.call(h.user, "listApiKeys", session(token)).path("keys");
    assertEquals(1, listed.size());
    assertFalse(listed.toString().contains(ApiKeyToken.parse(apiKey).secret()));

    JsonNode valid = h.call(h.gateway, "validateApiKey", Json.object().put("apiKey", apiKey));
    assertEquals("ann@example.com", valid.path("email").asText());
    assertEquals("[\"llama3\"]", valid.path("models").toString());
    assertEquals("[\"user\"]", valid.path("roles").toString());

    JsonNode revoked = h.call(h.user, "revokeApiKey", session(token).put("keyId", keyId));
    assertTrue(revoked.path("revoked").asBoolean());
    assertEquals("ERR_KEY_REVOKED", h.error(h.gateway, "validateApiKey", Json.object().put("apiKey", apiKey))
        .code());
  }

  @Test
  void shouldRegisterTheCallersProvenKeyOnceAndValidateItForAGateway() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    String callerKey = HexFormat.of().formatHex(h.user.publicKey());
    ObjectNode register = session(token).put("name", "laptop");
    register.putArray("models").add("llama3");

    JsonNode registered = h.call(h.user, "registerClientKey", register).path("key");

    assertEquals("laptop", registered.path("name").asText());
    JsonNode valid = h.call(h.gateway, "validateClientKey", Json.object().put("clientKey", callerKey));
    assertEquals("ann@example.com", valid.path("email").asText());
    assertEquals("[\"llama3\"]", valid.path("models").toString());
    assertEquals(registered.path("keyId").asText(), valid.path("keyId").asText());
    assertEquals("ERR_BAD_REQUEST", h.error(h.user, "registerClientKey", register).code(), "a key registers once");
    assertEquals("ERR_FORBIDDEN", h.error(h.user, "validateClientKey", Json.object().put("clientKey", callerKey))
        .code(), "only a trusted gateway validates");
    String otherKey = HexFormat.of().formatHex(h.gateway.publicKey());
    assertEquals("ERR_INVALID_KEY", h.error(h.gateway, "validateClientKey", Json.object().put("clientKey", otherKey))
        .code(), "an unregistered key is not valid");
  }

  @Test
  void shouldRejectValidateCallsWhenCallerIsNotAGateway() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    assertEquals("ERR_FORBIDDEN", h.error(h.user, "validateSession", session(token)).code());
    assertEquals("ERR_FORBIDDEN", h.error(h.user, "validateApiKey", Json.object().put("apiKey", "x")).code());
    assertEquals("ann@example.com", h.call(h.gateway, "validateSession", session(token)).path("email").asText());
  }

  @Test
  void shouldRevokeSessionWhenUserLogsOut() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    assertTrue(h.call(h.user, "logout", session(token)).path("ok").asBoolean());
    assertEquals("ERR_SESSION_REVOKED", h.error(h.gateway, "validateSession", session(token)).code());
    assertEquals("ERR_SESSION_REVOKED", h.error(h.user, "listApiKeys", session(token)).code());
  }

  @Test
  void shouldRefuseAdminMethodsWhenCallerIsNotAdmin() throws Exception {
    h.register("root@example.com");
    h.register("ann@example.com");
    String root = h.login("root@example.com");
    String ann = h.login("ann@example.com");
    assertEquals("ERR_FORBIDDEN", h.error(h.user, "listUsers", session(ann)).code());
    assertEquals("ERR_FORBIDDEN", h.error(h.user, "setRole", session(ann).put("email", "ann@example.com")
        .put("role", "admin")).code());
    assertEquals(2, h.call(h.user, "listUsers", session(root)).path("users").size());

    String annKey = h.call(h.user, "createApiKey", session(ann).put("name", "k")).path("key").path("keyId").asText();
    assertTrue(h.call(h.user, "revokeApiKey", session(root).put("keyId", annKey)).path("revoked").asBoolean());

    JsonNode promoted = h.call(h.user, "setRole", session(root).put("email", "ann@example.com").put("role", "admin"));
    assertEquals("[\"user\",\"admin\"]", promoted.path("roles").toString());
    assertEquals(2, h.call(h.user, "listUsers", session(ann)).path("users").size());
    assertEquals("[\"user\",\"admin\"]", h.call(h.gateway, "validateSession", session(ann)).path("roles").toString(),
        "validateSession reports roles as they are now, not as of login");
    JsonNode demoted = h.call(h.user, "setRole", session(root).put("email", "ann@example.com").put("role", "admin")
        .put("granted", false));
    assertEquals("[\"user\"]", demoted.path("roles").toString());
    assertEquals("[\"user\"]", h.call(h.gateway, "validateSession", session(ann)).path("roles").toString());
  }

  @Test
  void shouldRevokeAnySessionWhenAdminAsks() throws Exception {
    h.register("root@example.com");
    h.register("ann@example.com");
    String root = h.login("root@example.com");
    JsonNode annLogin = h.call(h.user, "login", Json.object().put("email", "ann@example.com")
        .put("password", AuthHarness.PASSWORD));
    String sid = annLogin.path("sessionId").asText();
    assertEquals("ERR_BAD_REQUEST", h.error(h.user, "revokeSession", session(root).put("sessionId", "x")).code());
    assertTrue(h.call(h.user, "revokeSession", session(root).put("sessionId", sid)).path("ok").asBoolean());
    assertEquals("ERR_SESSION_REVOKED", h.error(h.gateway, "validateSession",
        session(annLogin.path("session").asText())).code());
  }

  @Test
  void shouldAnswerBadRequestAndChangeNothingWhenPayloadIsMalformed() throws Exception {
    assertEquals("ERR_BAD_REQUEST", h.error(h.user, "register", Json.object().put("email", "a@b.com")).code());
    assertEquals("ERR_BAD_REQUEST", h.error(h.user, "register", Json.parse("[1,2]")).code());
    assertEquals("ERR_INVALID_EMAIL", h.error(h.user, "register", Json.object().put("email", "nope")
        .put("password", AuthHarness.PASSWORD)).code());
    assertEquals("ERR_WEAK_PASSWORD", h.error(h.user, "register", Json.object().put("email", "a@b.com")
        .put("password", "aaaaaaaaaaaa")).code());
    assertEquals("ERR_INVALID_SESSION", h.error(h.user, "listApiKeys", session("garbage")).code());
    h.register("root@example.com");
    assertEquals("ERR_BAD_REQUEST", h.error(h.user, "setRole", session(h.login("root@example.com"))
        .put("email", "root@example.com").put("role", "superuser")).code());
    assertEquals(1, h.call(h.user, "listUsers", session(h.login("root@example.com"))).path("users").size());
  }

  @Test
  void shouldFailStartNamingConfigWhenSettingsAreInvalid() {
    Config bad = Config.of(Json.parse("{\"auth\":{\"session\":{\"ttl\":\"soon\"}}}"));
    AuthWorker worker = new AuthWorker(new WorkerContext(AuthWorker.TYPE, "test", "bad"), bad,
        Facilities.of(new MemoryNetFacility(h.network), new MemoryStoreFacility()));
    ExecutionException e = assertThrows(ExecutionException.class, () -> worker.start().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof WorkerStartException);
    assertTrue(e.getCause().getMessage().contains("auth.session.ttl"), e.getCause().getMessage());
  }

  @Test
  void shouldReadSettingsFromConfigWhenNoneAreGiven() throws Exception {
    Config cfg = Config.of(Json.parse("{\"auth\":{\"passwordHash\":\"minimum-for-tests\",\"topic\":\"t/auth\"}}"));
    AuthWorker worker = new AuthWorker(new WorkerContext(AuthWorker.TYPE, "test", "cfg"), cfg,
        Facilities.of(new MemoryNetFacility(h.network), new MemoryStoreFacility()));
    worker.start().get(10, TimeUnit.SECONDS);
    try {
      assertEquals("t/auth", worker.settings().topic());
      assertNotNull(h.user.topicRequest("t/auth", "sessionKey", Json.object()).get(10, TimeUnit.SECONDS));
    } finally {
      worker.stop().get(10, TimeUnit.SECONDS);
    }
    assertTrue(h.user.lookup("t/auth", false).get(10, TimeUnit.SECONDS).isEmpty(), "unannounced at stop");
  }

  private ObjectNode credentials(String password, String clientKey) {
    ObjectNode p = Json.object().put("email", "ann@example.com").put("password", password);
    return clientKey == null ? p : p.put("clientKey", clientKey);
  }

  private void failFourTimes(MemoryNetFacility from, String clientKey) {
    for (int i = 0; i < 4; i++) {
      assertEquals("ERR_INVALID_CREDENTIALS", h.error(from, "login", credentials("wrong-Pass-1", clientKey)).code());
    }
  }

  @Test
  void shouldBackOffPerForwardedClientWhenGatewayRelaysLogins() throws Exception {
    h.register("ann@example.com");
    String stranger = "aa".repeat(32);
    String owner = "BB".repeat(32);
    failFourTimes(h.gateway, stranger);
    assertEquals("ERR_TOO_MANY_ATTEMPTS", h.error(h.gateway, "login",
        credentials(AuthHarness.PASSWORD, stranger)).code());
    assertTrue(h.call(h.gateway, "login", credentials(AuthHarness.PASSWORD, owner)).has("session"),
        "another client behind the same gateway is not locked out");
    assertTrue(h.call(h.gateway, "login", credentials(AuthHarness.PASSWORD, "not-a-key")).has("session"),
        "without a valid clientKey the gateway itself is the source");
  }

  @Test
  void shouldIgnoreClientKeyWhenCallerIsNoGateway() throws Exception {
    h.register("ann@example.com");
    String ownerKey = HexFormat.of().formatHex(h.gateway.publicKey());
    failFourTimes(h.user, ownerKey); // a stranger naming someone else's key spends his own attempts
    assertEquals("ERR_TOO_MANY_ATTEMPTS", h.error(h.user, "login", credentials(AuthHarness.PASSWORD, null)).code());
    assertTrue(h.call(h.gateway, "login", credentials(AuthHarness.PASSWORD, null)).has("session"));
  }

  @Test
  void shouldNameBrokenRuleWhenPasswordIsWeak() {
    var e = h.error(h.user, "register", Json.object().put("email", "ann@example.com").put("password", "password12"));
    assertEquals("ERR_WEAK_PASSWORD", e.code());
    assertEquals("common", e.details().path("rule").asText());
  }
}
