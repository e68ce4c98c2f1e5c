package io.hyperinfer.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.auth.ApiKeyToken;
import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.launch.ReadyLine;
import io.hyperinfer.contract.session.SessionClaims;
import io.hyperinfer.contract.session.SessionVerifier;
import io.hyperinfer.worker.Json;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Auth part of the demo: start Auth, then a user registers, logs in, gets her session checked by a gateway,
 * creates, lists and revokes an API key, and logs out; every rejection shows its error code. Values passed between
 * steps live in the {@link DemoContext} under the keys below, so later steps (gateway, processor) can reuse them.
 */
public final class AuthDemoSteps {
  /** Context keys. */
  public static final String SESSION = "auth.session";
  public static final String API_KEY = "auth.apiKey";
  public static final String KEY_ID = "auth.keyId";
  /** Peer names in the context: the user's client and the gateway (in the roster). */
  public static final String USER_PEER = "user";
  public static final String GATEWAY_PEER = "gateway";

  static final String EMAIL = "ann@example.com";
  static final String PASSWORD = "correct-Horse-7-battery";

  private AuthDemoSteps() {}

  /** Starts the network of processes without processors: Auth allows the demo's gateway peer. */
  public static DemoStep startAuth() {
    return DemoStep.of("Start Auth (and a Gateway) as processes on a local network", ctx -> {
      ProcessNetwork network = ctx.startNetwork(0, List.of(), List.of());
      ReadyLine auth = network.ready(ProcessNetwork.AUTH);
      var found = ctx.peer(USER_PEER).lookup(AuthSettings.DEFAULT_TOPIC, false).get(10, TimeUnit.SECONDS);
      DemoFailure.check(found.size() == 1, "expected one announcer of " + AuthSettings.DEFAULT_TOPIC);
      return "auth " + abbrev(auth.publicKeyBytes()) + " (pid " + network.child(ProcessNetwork.AUTH).pid()
          + ") announced on topic '" + AuthSettings.DEFAULT_TOPIC + "'\ngateway "
          + abbrev(ctx.peerKeys(GATEWAY_PEER).publicKey()) + " is a gateway in the network's roster (validate*)";
    });
  }

  /** The user journey through Auth. */
  public static List<DemoStep> journey() {
    return List.of(
        DemoStep.of("A user registers", ctx -> {
          JsonNode user = ctx.call(USER_PEER, "register", Json.object().put("email", " Ann@Example.com ")
              .put("password", PASSWORD));
          DemoFailure.check(EMAIL.equals(user.path("email").asText()), "email was not normalised");
          return "registered " + user.path("email").asText() + " as user " + user.path("userId").asText()
              + ", roles " + user.path("roles");
        }),
        DemoStep.of("Registering the same email again is refused", ctx -> {
          String code = ctx.callExpectingError(USER_PEER, "register", Json.object().put("email", EMAIL)
              .put("password", PASSWORD), "ERR_USER_EXISTS");
          return "rejected with " + code;
        }),
        DemoStep.of("A wrong password is refused", ctx -> {
          String code = ctx.callExpectingError(USER_PEER, "login", Json.object().put("email", EMAIL)
              .put("password", "not-her-password-1"), "ERR_INVALID_CREDENTIALS");
          return "rejected with " + code;
        }),
        DemoStep.of("She logs in and gets a session", ctx -> {
          JsonNode login = ctx.call(USER_PEER, "login", Json.object().put("email", EMAIL).put("password", PASSWORD));
          String token = login.path("session").asText();
          DemoFailure.check(token.contains("."), "login returned no session token");
          ctx.put(SESSION, token);
          return "session " + login.path("sessionId").asText() + " valid until " + login.path("expiresAt").asText()
              + "\ntoken " + token.substring(0, 12) + "... (signed by Auth, " + token.length() + " chars)";
        }),
        DemoStep.of("A gateway checks her session (offline signature, then online revocation check)", ctx -> {
          // Signed by the network's session key, which the roster names: any Auth of the network may have issued it.
          byte[] sessionKey = HexFormat.of().parseHex(ctx.operator().roster().roster().session()
              .orElseThrow(() -> new DemoFailure("the roster should name the network's session key")));
          String token = ctx.get(SESSION, String.class);
          SessionClaims claims = new SessionVerifier(sessionKey, ctx.clock()).verify(token);
          JsonNode online = ctx.call(GATEWAY_PEER, "validateSession", Json.object().put("session", token));
          DemoFailure.check(claims.userId().equals(online.path("userId").asText()), "offline and online disagree");
          return "offline: signature by the roster's session key ok, user " + claims.userId() + ", roles "
              + online.path("roles")
              + "\nonline: not revoked";
        }),
        DemoStep.of("She creates an API key", ctx -> {
          ObjectNode request = Json.object().put("session", ctx.get(SESSION, String.class)).put("name", "laptop");
          request.putArray("models").add("llama3.2:1b");
          request.putObject("limits").put("requestsPerMinute", 60).put("tokensPerMinute", 20000)
              .put("concurrency", 2).put("dailyTokens", 500000);
          request.put("expiresInSeconds", 30 * 24 * 3600);
          JsonNode created = ctx.call(USER_PEER, "createApiKey", request);
          ApiKeyToken key = ApiKeyToken.parse(created.path("apiKey").asText());
          ctx.put(API_KEY, key.value());
          ctx.put(KEY_ID, key.id());
          JsonNode meta = created.path("key");
          return "key " + key.masked() + " (the full key is shown to her once; Auth keeps only its hash)"
              + "\nname '" + meta.path("name").asText() + "', models " + meta.path("models") + ", expires "
              + meta.path("expiresAt").asText() + "\nlimits " + meta.path("limits");
        }),
        DemoStep.of("She lists her keys (never the secret)", ctx -> {
          JsonNode keys = ctx.call(USER_PEER, "listApiKeys", Json.object().put("session", ctx.get(SESSION,
              String.class))).path("keys");
          DemoFailure.check(keys.size() == 1, "expected one key, got " + keys.size());
          DemoFailure.check(!keys.toString().contains(ApiKeyToken.parse(ctx.get(API_KEY, String.class)).secret()),
              "the listing contains the secret");
          JsonNode k = keys.get(0);
          return k.path("keyId").asText() + "  '" + k.path("name").asText() + "'  revoked=" + k.path("revoked");
        }),
        DemoStep.of("A gateway validates the key", ctx -> {
          JsonNode v = ctx.call(GATEWAY_PEER, "validateApiKey", Json.object().put("apiKey", ctx.get(API_KEY,
              String.class)));
          DemoFailure.check(EMAIL.equals(v.path("email").asText()), "key resolved to the wrong user");
          return "key " + v.path("keyId").asText() + " belongs to " + v.path("email").asText() + ", models "
              + v.path("models") + ", " + v.path("limits").path("requestsPerMinute") + " requests/min";
        }),
        DemoStep.of("A peer that is not a gateway in the roster cannot validate keys", ctx -> {
          String code = ctx.callExpectingError(USER_PEER, "validateApiKey", Json.object().put("apiKey",
              ctx.get(API_KEY, String.class)), "ERR_FORBIDDEN");
          return "rejected with " + code;
        }),
        DemoStep.of("She revokes the key", ctx -> {
          JsonNode revoked = ctx.call(USER_PEER, "revokeApiKey", Json.object().put("session", ctx.get(SESSION,
              String.class)).put("keyId", ctx.get(KEY_ID, String.class)));
          DemoFailure.check(revoked.path("revoked").asBoolean(), "key is not marked revoked");
          return "key " + revoked.path("keyId").asText() + " revoked";
        }),
        DemoStep.of("The revoked key is rejected", ctx -> {
          String code = ctx.callExpectingError(GATEWAY_PEER, "validateApiKey", Json.object().put("apiKey",
              ctx.get(API_KEY, String.class)), "ERR_KEY_REVOKED");
          return "rejected with " + code;
        }),
        DemoStep.of("She logs out", ctx -> {
          ctx.call(USER_PEER, "logout", Json.object().put("session", ctx.get(SESSION, String.class)));
          return "session revoked; the revocation is kept until the token would have expired";
        }),
        DemoStep.of("Her old session is rejected", ctx -> {
          String code = ctx.callExpectingError(GATEWAY_PEER, "validateSession", Json.object().put("session",
              ctx.get(SESSION, String.class)), "ERR_SESSION_REVOKED");
          return "rejected with " + code;
        }));
  }

  private static String abbrev(byte[] publicKey) {
    return HexFormat.of().formatHex(publicKey).substring(0, 16) + "...";
  }
}
