package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.Credentials;
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
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * The gateway's side of Auth: forwards account methods to whichever Auth worker announces the auth topic, and turns an
 * API key or session token into a {@link Principal}, caching successes for the validation TTL (so a revoked key or a
 * logged-out session keeps working on this gateway for at most that long). Thread-safe.
 */
final class AuthClient {
  /** Errors that mean "Auth could not be reached", reported to clients as ERR_AUTH_UNAVAILABLE. */
  private static final Set<String> UNREACHABLE = Set.of(NetException.ERR_NO_PEERS, NetException.ERR_PEER_UNAVAILABLE,
      NetException.ERR_TIMEOUT, NetException.ERR_CONNECTION_LOST);

  private final NetFacility net;
  private final String topic;
  private final RequestOptions options;
  private final Limits defaults;
  private final ValidationCache<Principal> cache;

  AuthClient(NetFacility net, String topic, Duration timeout, Limits defaults, Clock clock, Duration cacheTtl) {
    this.net = net;
    this.topic = topic;
    this.options = RequestOptions.timeout(timeout);
    this.defaults = defaults;
    this.cache = new ValidationCache<>(clock, cacheTtl, 10_000);
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

  Duration cacheTtl() {
    return cache.ttl();
  }
}
