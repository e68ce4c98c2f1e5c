package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.contract.session.SessionClaims;
import io.hyperinfer.contract.session.SessionException;
import io.hyperinfer.contract.session.SessionVerifier;
import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.gateway.limit.Limits;
import io.hyperinfer.worker.Json;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.RpcCall;
import io.hyperinfer.worker.net.RequestOptions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The gateway's side of Auth: forwards account methods to whichever Auth worker announces the auth topic, and turns an
 * API key or session token into a {@link Principal}, caching successes for the validation TTL (so a revoked key or a
 * logged-out session keeps working on this gateway for at most that long). Inside a network, sessions are checked
 * offline ({@link #checkSessionsOffline}): the signature against the roster's session key, the expiry, and the copy of
 * Auth's revocations, so they keep working while no Auth is reachable. Thread-safe.
 */
final class AuthClient {
  /** Errors that mean "Auth could not be reached", reported to clients as ERR_AUTH_UNAVAILABLE. */
  private static final Set<String> UNREACHABLE = Set.of(NetException.ERR_NO_PEERS, NetException.ERR_PEER_UNAVAILABLE,
      NetException.ERR_TIMEOUT, NetException.ERR_CONNECTION_LOST);

  static final String SESSION_REVOKED = "ERR_SESSION_REVOKED";

  private final NetFacility net;
  private final String topic;
  private final RequestOptions options;
  private final Limits defaults;
  private final ValidationCache<Principal> cache;
  private final Clock clock;
  private volatile Offline offline;

  /**
   * What checking sessions offline needs: the network's session public key (hex) as the roster names it now, and the
   * copy of Auth's revocations.
   */
  record Offline(Supplier<Optional<String>> sessionKey, SessionRevocations revocations) {}

  AuthClient(NetFacility net, String topic, Duration timeout, Limits defaults, Clock clock, Duration cacheTtl) {
    this.net = net;
    this.topic = topic;
    this.options = RequestOptions.timeout(timeout);
    this.defaults = defaults;
    this.clock = clock;
    this.cache = new ValidationCache<>(clock, cacheTtl, 10_000);
  }

  /** Checks sessions offline from now on, whenever {@code with} allows it (else asks Auth, as before). */
  void checkSessionsOffline(Offline with) {
    this.offline = with;
  }

  /** Calls {@code method} on Auth with {@code payload}; Auth's own errors pass through unchanged. */
  JsonNode call(String method, JsonNode payload) {
    try {
      return net.topicRequest(topic, method, payload, options).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof NetException rpc) {
        if (UNREACHABLE.contains(rpc.code())) {
          throw new NetException(GatewayException.Code.AUTH_UNAVAILABLE.wire(),
              "the account service is unreachable right now; try again shortly");
        }
        throw rpc;
      }
      throw NetException.internal();
    }
  }

  /**
   * The payload of an account call to forward, with {@code clientKey} set to the key the client proved to us: Auth
   * trusts that field only from allowlisted gateways and throttles and backs off per client by it. A client's own
   * {@code clientKey} is overwritten. A payload that is not an object goes as it is (Auth refuses it).
   */
  static JsonNode withClientKey(RpcCall call) {
    if (!(call.payload() instanceof ObjectNode object)) {
      return call.payload();
    }
    return object.deepCopy().put("clientKey", call.remotePublicKeyHex());
  }

  /**
   * The caller the credentials name; without any, the caller's own key pair when its owner registered it as a client
   * key ({@code registerClientKey}): the key the handshake proved is the credential, no secret travels. ERR_UNAUTHORIZED
   * when there is neither.
   */
  Principal authenticate(Credentials credentials, PeerRef caller) {
    if (!credentials.isPresent()) {
      String digest = "c:" + caller.hex();
      return cache.get(digest).orElseGet(() -> {
        JsonNode answer;
        try {
          answer = call("validateClientKey", Json.object().put("clientKey", caller.hex()));
        } catch (NetException e) {
          if (!"ERR_INVALID_KEY".equals(e.code())) {
            throw e;
          }
          throw new NetException(GatewayException.Code.UNAUTHORIZED.wire(),
              "an API key, a session or a registered client key is required");
        }
        Principal p = Principal.fromAuth(answer, defaults);
        cache.put(digest, p);
        return p;
      });
    }
    boolean byKey = credentials.isApiKey();
    String secret = credentials.secret();
    if (!byKey) {
      Optional<Principal> checked = offline(secret);
      if (checked.isPresent()) {
        return checked.get();
      }
    }
    String digest = (byKey ? "k:" : "s:") + HexFormat.of().formatHex(
        Blake2b.hash(secret.getBytes(StandardCharsets.UTF_8)));
    return cache.get(digest).orElseGet(() -> {
      JsonNode answer = byKey ? call("validateApiKey", Json.object().put("apiKey", secret))
          : call("validateSession", Json.object().put("session", secret));
      Principal p = Principal.fromAuth(answer, defaults);
      cache.put(digest, p);
      return p;
    });
  }

  /**
   * The session's principal checked here with no call to Auth: signed by the roster's session key, unexpired on this
   * gateway's clock, not in the copy of Auth's revocations. Empty when offline checks are not possible now (no
   * network session key, or no complete copy of the revocations yet): the caller then asks Auth.
   */
  private Optional<Principal> offline(String token) {
    Offline with = offline;
    Optional<String> key = with == null ? Optional.empty() : with.sessionKey().get();
    if (key.isEmpty() || !with.revocations().offlineReady()) {
      return Optional.empty();
    }
    SessionClaims claims;
    try {
      claims = new SessionVerifier(HexFormat.of().parseHex(key.get()), clock).verify(token);
    } catch (SessionException e) {
      throw new NetException(e.code().wire(), e.getMessage());
    }
    if (with.revocations().isRevoked(claims.sessionId())) {
      throw new NetException(SESSION_REVOKED, "session has been revoked");
    }
    ObjectNode answer = Json.object().put("userId", claims.userId());
    claims.roles().forEach(answer.withArray("roles")::add);
    return Optional.of(Principal.fromAuth(answer, defaults));
  }

  Duration cacheTtl() {
    return cache.ttl();
  }
}
