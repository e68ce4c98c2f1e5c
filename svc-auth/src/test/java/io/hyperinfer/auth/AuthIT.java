package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** A test client reaching Auth through the in-memory net facility, end to end. */
@Timeout(30)
class AuthIT {
  private final AuthHarness h;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  AuthIT() throws Exception {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    h = new AuthHarness();
  }

  @AfterEach
  void stop() throws Exception {
    h.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
  }

  @Test
  void shouldRegisterLoginAndValidateWhenClientFollowsTheFlow() throws Exception {
    String userId = h.register("ann@example.com").path("userId").asText();
    String token = h.login("ann@example.com");
    JsonNode validated = h.call(h.gateway, "validateSession", Json.object().put("session", token));
    assertEquals(userId, validated.path("userId").asText());
    assertEquals("[\"user\"]", validated.path("roles").toString());
  }

  @Test
  void shouldDeliverTypedCodesWhenAuthRejects() throws Exception {
    h.register("ann@example.com");
    NetException exists = h.error(h.user, "register", Json.object().put("email", "ANN@example.com")
        .put("password", AuthHarness.PASSWORD));
    assertEquals(Optional.of(AuthException.Code.USER_EXISTS), AuthException.Code.fromWire(exists.code()));
    assertFalse(exists.getMessage().isBlank());
    NetException wrong = h.error(h.user, "login", Json.object().put("email", "ann@example.com")
        .put("password", "wrong-Pass-1"));
    assertEquals(Optional.of(AuthException.Code.INVALID_CREDENTIALS), AuthException.Code.fromWire(wrong.code()));
    assertEquals("ERR_UNKNOWN_METHOD", h.error(h.user, "deleteEverything", Json.object()).code());
  }

  @Test
  void shouldRejectValidateFromNonGatewayWhenFirewalled() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    assertEquals(NetException.ERR_FORBIDDEN, h.error(h.user, "validateSession", Json.object().put("session", token))
        .code());
  }

  @Test
  void shouldExpireSessionWhenManualClockPassesTtl() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    h.clock.advance(h.auth.settings().sessionTtl().minusSeconds(1));
    h.call(h.gateway, "validateSession", Json.object().put("session", token));
    h.clock.advance(Duration.ofSeconds(1));
    assertEquals("ERR_SESSION_EXPIRED", h.error(h.gateway, "validateSession", Json.object().put("session", token))
        .code());
  }

  @Test
  void shouldRejectKeyWhenItWasRevoked() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    JsonNode created = h.call(h.user, "createApiKey", Json.object().put("session", token).put("name", "k"));
    String apiKey = created.path("apiKey").asText();
    h.call(h.gateway, "validateApiKey", Json.object().put("apiKey", apiKey));
    h.call(h.user, "revokeApiKey", Json.object().put("session", token)
        .put("keyId", created.path("key").path("keyId").asText()));
    assertEquals("ERR_KEY_REVOKED", h.error(h.gateway, "validateApiKey", Json.object().put("apiKey", apiKey)).code());
  }

  @Test
  void shouldKeepUsersKeysAndRevocationsWhenAuthRestartsOnSameStore() throws Exception {
    h.register("ann@example.com");
    String kept = h.login("ann@example.com");
    String loggedOut = h.login("ann@example.com");
    h.call(h.user, "logout", Json.object().put("session", loggedOut));
    String apiKey = h.call(h.user, "createApiKey", Json.object().put("session", kept).put("name", "k"))
        .path("apiKey").asText();
    byte[] keyBefore = h.auth.sessionPublicKey();

    h.restart();

    assertEquals(java.util.HexFormat.of().formatHex(keyBefore),
        java.util.HexFormat.of().formatHex(h.auth.sessionPublicKey()), "identity survives restart");
    assertEquals("ann@example.com", h.call(h.gateway, "validateSession", Json.object().put("session", kept))
        .path("email").asText());
    assertEquals("ERR_SESSION_REVOKED", h.error(h.gateway, "validateSession",
        Json.object().put("session", loggedOut)).code());
    assertEquals("ann@example.com", h.call(h.gateway, "validateApiKey", Json.object().put("apiKey", apiKey))
        .path("email").asText());
    assertEquals("ERR_USER_EXISTS", h.error(h.user, "register", Json.object().put("email", "ann@example.com")
        .put("password", AuthHarness.PASSWORD)).code());
    assertTrue(h.login("ann@example.com").contains("."));
  }

  @Test
  void shouldServeTestDataFactoryUsersWhenOtherSuitesUseTheSharedFactory() throws Exception {
    var user = io.hyperinfer.worker.testkit.TestDataFactory.user();
    h.call(h.user, "register", user);
    String token = h.call(h.user, "login", user).path("session").asText();
    var request = io.hyperinfer.worker.testkit.TestDataFactory.apiKeyRequest().put("session", token);
    String apiKey = h.call(h.user, "createApiKey", request).path("apiKey").asText();
    assertEquals(user.path("email").asText(), h.call(h.gateway, "validateApiKey",
        Json.object().put("apiKey", apiKey)).path("email").asText());
  }

  @Test
  void shouldNeverLogSecretsWhenFlowRuns() throws Exception {
    h.register("ann@example.com");
    String token = h.login("ann@example.com");
    h.error(h.user, "login", Json.object().put("email", "ann@example.com").put("password", "wrong-Pass-1"));
    String apiKey = h.call(h.user, "createApiKey", Json.object().put("session", token).put("name", "k"))
        .path("apiKey").asText();
    h.call(h.gateway, "validateApiKey", Json.object().put("apiKey", apiKey));
    h.call(h.user, "logout", Json.object().put("session", token));
    assertFalse(logs.list.isEmpty(), "the flow should have logged something");
    String secretPart = ApiKeyToken.parse(apiKey).secret();
    String signature = token.substring(token.indexOf('.') + 1);
    for (ILoggingEvent event : logs.list) {
      String line = event.getFormattedMessage();
      assertFalse(line.contains(AuthHarness.PASSWORD) || line.contains("wrong-Pass-1"), line);
      assertFalse(line.contains(secretPart) || line.contains(signature) || line.contains(token), line);
    }
  }
}
