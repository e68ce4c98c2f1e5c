package io.hyperinfer.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.session.SessionClaims;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.RpcCall;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;

/**
 * The Auth RPC methods: JSON in, JSON out, {@link AuthException} turned into {@link NetException} with the same code.
 * The request and response shapes are listed in the module README. Thread-safe.
 */
final class AuthRpc {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** The payload field in which an allowlisted gateway forwards its client's public key (64 hex chars). */
  static final String CLIENT_KEY = "clientKey";
  /** The most revocations one {@code sessionRevocations} reply lists; more make it say {@code complete: false}. */
  static final int MAX_REVOCATIONS_PER_REPLY = 4096;
  private static final java.util.regex.Pattern HEX_KEY = java.util.regex.Pattern.compile("[0-9a-fA-F]{64}");

  private final Accounts accounts;
  private final Sessions sessions;
  private final ApiKeys keys;
  private final Predicate<String> gateways;
  private final byte[] sessionKey;
  private final Clock clock;
  private volatile Predicate<String> rosterAdmins;
  private final Logger log;

  AuthRpc(Accounts accounts, Sessions sessions, ApiKeys keys, Set<String> gateways, byte[] sessionKey, Clock clock,
      Logger log) {
    this(accounts, sessions, keys, (Predicate<String>) gateways::contains, sessionKey, clock, log);
  }

  /** {@code gateways} says whether a caller key (hex) is a gateway: the roster inside a network, else the config list. */
  AuthRpc(Accounts accounts, Sessions sessions, ApiKeys keys, Predicate<String> gateways, byte[] sessionKey,
      Clock clock, Logger log) {
    this.accounts = accounts;
    this.sessions = sessions;
    this.keys = keys;
    this.gateways = gateways;
    this.sessionKey = sessionKey.clone();
    this.clock = clock;
    this.log = log;
  }

  /**
   * Inside a network: administrators are the callers whose key (the client key a trusted gateway forwards, else the
   * caller's own) the roster grants the admin role; account roles no longer decide.
   */
  void adminsFrom(Predicate<String> rosterAdmin) {
    this.rosterAdmins = rosterAdmin;
  }

  void register(NetFacility net) {
    net.respond("register", call -> handle(call, false, p -> register(p, source(call))));
    net.respond("login", call -> handle(call, false, p -> login(p, source(call))));
    on(net, "logout", false, this::logout);
    on(net, "sessionKey", false, p -> JSON.objectNode().put("publicKey", HexFormat.of().formatHex(sessionKey)));
    on(net, "validateSession", true, this::validateSession);
    on(net, "sessionRevocations", true, p -> sessionRevocations());
    on(net, "createApiKey", false, this::createApiKey);
    on(net, "listApiKeys", false, this::listApiKeys);
    on(net, "revokeApiKey", false, this::revokeApiKey);
    on(net, "validateApiKey", true, this::validateApiKey);
    net.respond("registerClientKey", call -> handle(call, false, p -> registerClientKey(p, source(call))));
    on(net, "validateClientKey", true, this::validateClientKey);
    net.respond("setRole", call -> handle(call, false, p -> setRole(p, source(call))));
    net.respond("listUsers", call -> handle(call, false, p -> listUsers(p, source(call))));
    net.respond("revokeSession", call -> handle(call, false, p -> revokeSession(p, source(call))));
  }

  private void on(NetFacility net, String method, boolean gatewayOnly, Function<JsonNode, JsonNode> body) {
    net.respond(method, call -> handle(call, gatewayOnly, body));
  }

  JsonNode handle(RpcCall call, boolean gatewayOnly, Function<JsonNode, JsonNode> body) {
    if (gatewayOnly && !gateways.test(call.remotePublicKeyHex())) {
      log.warn("{} refused: caller {} is not a trusted gateway", call.method(), call.remote());
      throw NetException.forbidden();
    }
    try {
      return body.apply(call.payload());
    } catch (AuthException e) {
      log.info("{} failed: {}", call.method(), e.code().wire());
      throw toRpc(e);
    }
  }

  static NetException toRpc(AuthException e) {
    ObjectNode details = JSON.objectNode();
    e.retryAfter().ifPresent(d -> details.put("retryAfterSeconds", d.toSeconds()));
    e.rule().ifPresent(r -> details.put("rule", r.name().toLowerCase(java.util.Locale.ROOT)));
    return new NetException(e.code().wire(), e.getMessage(), details.isEmpty() ? null : details);
  }

  /**
   * Who is calling, for throttling and backoff: the client key an allowlisted gateway forwards in {@code clientKey}
   * (the key its own handshake with the client proved), else the caller's own key. Anyone else's {@code clientKey} is
   * ignored: a stranger naming the owner's key would otherwise spend the owner's attempts.
   */
  String source(RpcCall call) {
    String caller = call.remotePublicKeyHex();
    if (gateways.test(caller) && call.payload() != null) {
      JsonNode forwarded = call.payload().path(CLIENT_KEY);
      if (forwarded.isTextual() && HEX_KEY.matcher(forwarded.textValue()).matches()) {
        return forwarded.textValue().toLowerCase(java.util.Locale.ROOT);
      }
    }
    return caller;
  }

  private JsonNode register(JsonNode p, String source) {
    User user = accounts.register(Requests.text(p, "email"), Requests.text(p, "password"), source);
    log.info("registered user {}", user.id());
    return user.publicJson();
  }

  private JsonNode login(JsonNode p, String source) {
    User user = accounts.login(Requests.text(p, "email"), Requests.text(p, "password"), source);
    Sessions.Issued issued = sessions.issue(user);
    log.info("user {} logged in, session {}", user.id(), issued.claims().sessionId());
    ObjectNode out = claimsJson(issued.claims());
    out.put("session", issued.token());
    return out;
  }

  private JsonNode logout(JsonNode p) {
    SessionClaims claims = sessions.validate(Requests.text(p, "session"));
    sessions.revoke(claims);
    log.info("session {} logged out", claims.sessionId());
    return JSON.objectNode().put("ok", true);
  }

  private JsonNode validateSession(JsonNode p) {
    SessionClaims claims = sessions.validate(Requests.text(p, "session"));
    // Online answers carry the roles as they are now; the token's roles are only as of login.
    User user = accounts.current(claims);
    ObjectNode out = claimsJson(claims);
    out.set("roles", User.Roles.toJson(user.roles()));
    return out;
  }

  private JsonNode createApiKey(JsonNode p) {
    User owner = accounts.current(sessions.validate(Requests.text(p, "session")));
    ApiKeys.Created created = keys.create(owner, Requests.text(p, "name"), Requests.strings(p, "models"),
        KeyLimits.fromJson(p.path("limits")), Requests.expiry(p, clock.instant()));
    log.info("user {} created API key {}", owner.id(), created.key().id());
    ObjectNode out = JSON.objectNode();
    out.put("apiKey", created.token().value());
    out.set("key", created.key().publicJson());
    return out;
  }

  /** Registers the caller's proven key (a trusted gateway's forwarded client key, else its own) as a credential. */
  private JsonNode registerClientKey(JsonNode p, String source) {
    User owner = accounts.current(sessions.validate(Requests.text(p, "session")));
    ApiKey key = keys.registerClientKey(owner, source, Requests.text(p, "name"), Requests.strings(p, "models"),
        KeyLimits.fromJson(p.path("limits")), Requests.expiry(p, clock.instant()));
    log.info("user {} registered client key {}", owner.id(), key.id());
    ObjectNode out = JSON.objectNode();
    out.set("key", key.publicJson());
    return out;
  }

  private JsonNode validateClientKey(JsonNode p) {
    return validated(keys.validateClientKey(Requests.text(p, "clientKey")));
  }

  private JsonNode listApiKeys(JsonNode p) {
    User owner = accounts.current(sessions.validate(Requests.text(p, "session")));
    ObjectNode out = JSON.objectNode();
    var array = out.putArray("keys");
    keys.list(owner).forEach(k -> array.add(k.publicJson()));
    return out;
  }

  private JsonNode revokeApiKey(JsonNode p) {
    User caller = accounts.current(sessions.validate(Requests.text(p, "session")));
    ApiKey revoked = keys.revoke(caller, Requests.text(p, "keyId"), caller.roles().contains(Role.ADMIN));
    log.info("user {} revoked API key {}", caller.id(), revoked.id());
    return revoked.publicJson();
  }

  private JsonNode validateApiKey(JsonNode p) {
    return validated(keys.validate(Requests.text(p, "apiKey")));
  }

  private static JsonNode validated(ApiKeys.Validated v) {
    ObjectNode out = v.key().publicJson();
    out.put("email", v.user().email());
    out.set("roles", User.Roles.toJson(v.user().roles()));
    return out;
  }

  /** The admin calling: its session names the account; the roster (inside a network) or its roles grant admin. */
  private User requireAdmin(JsonNode p, String source) {
    SessionClaims claims = sessions.validate(Requests.text(p, "session"));
    Predicate<String> roster = rosterAdmins;
    if (roster == null) {
      return accounts.requireAdmin(claims);
    }
    User user = accounts.current(claims);
    if (!roster.test(source)) {
      throw AuthException.forbidden("admin key required: the network's roster grants administrators");
    }
    return user;
  }

  private JsonNode setRole(JsonNode p, String source) {
    User admin = requireAdmin(p, source);
    Role role = Role.fromWire(Requests.text(p, "role"));
    User updated = accounts.setRole(Requests.text(p, "email"), role, Requests.bool(p, "granted", true));
    log.info("admin {} set roles of user {} to {}", admin.id(), updated.id(), updated.roles());
    return updated.publicJson();
  }

  private JsonNode listUsers(JsonNode p, String source) {
    requireAdmin(p, source);
    ObjectNode out = JSON.objectNode();
    var array = out.putArray("users");
    accounts.list().forEach(u -> array.add(u.publicJson()));
    return out;
  }

  private JsonNode revokeSession(JsonNode p, String source) {
    User admin = requireAdmin(p, source);
    String sessionId = Requests.text(p, "sessionId");
    if (!sessionId.matches("[0-9a-f]{32}")) {
      throw AuthException.badRequest("sessionId must be 32 hex characters");
    }
    sessions.revokeById(sessionId);
    log.info("admin {} revoked session {}", admin.id(), sessionId);
    return JSON.objectNode().put("ok", true);
  }

  /** The revoked, unexpired sessions (id and expiry in epoch seconds), for a gateway's offline checks. */
  private JsonNode sessionRevocations() {
    AuthStore.Revocations r = sessions.revocations(MAX_REVOCATIONS_PER_REPLY);
    ObjectNode out = JSON.objectNode();
    ArrayNode list = out.putArray("revoked");
    r.expiries().forEach((sid, exp) -> list.addObject().put("sid", sid).put("exp", exp.getEpochSecond()));
    return out.put("complete", r.complete());
  }

  private static ObjectNode claimsJson(SessionClaims claims) {
    ObjectNode out = JSON.objectNode();
    out.put("userId", claims.userId());
    out.put("email", claims.email());
    ArrayNode roles = out.putArray("roles");
    for (Role role : Role.values()) {
      if (claims.hasRole(role.wire())) {
        roles.add(role.wire());
      }
    }
    out.put("sessionId", claims.sessionId());
    out.put("expiresAt", claims.expiresAt().toString());
    return out;
  }
}
