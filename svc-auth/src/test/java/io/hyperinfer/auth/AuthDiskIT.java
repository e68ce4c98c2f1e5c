package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.store.DiskStoreFacility;
import io.hyperinfer.worker.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Auth on the on-disk store (Hyperbee on Hypercore): everything it promised survives a restart on the same dir. */
@Timeout(60)
class AuthDiskIT {
  @TempDir
  Path dir;

  @Test
  void shouldKeepAccountsKeysAndRevocationsWhenAuthRestartsOnSameDirectory() throws Exception {
    try (AuthHarness h = new AuthHarness(() -> new DiskStoreFacility(dir))) {
      h.register("ann@example.com");
      String kept = h.login("ann@example.com");
      String loggedOut = h.login("ann@example.com");
      h.call(h.user, "logout", Json.object().put("session", loggedOut));
      var created = h.call(h.user, "createApiKey", Json.object().put("session", kept).put("name", "k"));
      String apiKey = created.path("apiKey").asText();
      byte[] identity = h.auth.sessionPublicKey();

      h.restart();

      assertArrayEquals(identity, h.auth.sessionPublicKey(), "identity survives restart");
      assertEquals("ann@example.com", h.call(h.gateway, "validateSession", Json.object().put("session", kept))
          .path("email").asText());
      assertEquals("ERR_SESSION_REVOKED", h.error(h.gateway, "validateSession",
          Json.object().put("session", loggedOut)).code());
      assertEquals(created.path("key").path("keyId").asText(), h.call(h.gateway, "validateApiKey",
          Json.object().put("apiKey", apiKey)).path("keyId").asText());
      assertEquals(1, h.call(h.user, "listApiKeys", Json.object().put("session", kept)).path("keys").size());
      assertEquals("ERR_USER_EXISTS", h.error(h.user, "register", Json.object().put("email", "ann@example.com")
          .put("password", AuthHarness.PASSWORD)).code());
    }
  }
}
