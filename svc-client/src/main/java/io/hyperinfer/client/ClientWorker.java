package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.contract.infer.EmbedReply;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.spi.Scheduler;
import io.micrometer.core.instrument.FunctionCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java client of the network: account calls, API keys, streamed and whole answers, usage. Finds gateways by topic
 * and fails over to another gateway when one is unreachable (for streams: only before the first token). Remembers the
 * session of the last {@link #login} and the API key of the last {@link #createApiKey} (or {@link #useApiKey}); calls
 * use the API key when there is one, else the session. Thread-safe.
 */
public final class ClientWorker extends Worker {
  /**
   * Gateway methods that may run twice without harm (reads; a login makes one more session), so a call that may have
   * reached a gateway is still sent to another when the first fails or stays silent. Others fail over only when the
   * gateway surely never handled them ({@link GatewayFinder#NOT_DELIVERED}): a repeated register, createApiKey or
   * revokeApiKey would be seen twice.
   */
  static final Set<String> RETRY_SAFE = Set.of(NetworkNames.MODELS, NetworkNames.EMBED, "usage", "listApiKeys",
      "login");

  private final AtomicLong abandoned = new AtomicLong();
  private volatile GatewayFinder gateways;
  private volatile GatewayWait lookups;
  private volatile String session;
  private volatile String apiKey;
  private volatile Duration timeout;
  private volatile FirstReplyDeadline firstReply;

  public ClientWorker(WorkerContext ctx, Config config, Facilities facilities) {
    super(ctx, config, facilities);
  }

  @Override
  protected void onStart() {
    NetworkNames.trustRoster(net(), peerPolicy());
    lookups = new GatewayWait(config().duration("client.gatewayWait", GatewayWait.DEFAULT), clock(),
        GatewayWait.Pause.SLEEP);
    gateways = new GatewayFinder(net(), clock(), config().duration("client.unhealthyFor", Duration.ofSeconds(30)),
        lookups);
    timeout = config().duration("client.timeout", Duration.ofSeconds(30));
    firstReply = new FirstReplyDeadline(Scheduler.system(),
        config().duration("client.firstReplyTimeout", Duration.ofSeconds(10)), abandoned::incrementAndGet);
    FunctionCounter.builder("hyperinfer.client.gateway.abandoned", abandoned, AtomicLong::get)
        .description("calls moved to another gateway because the first stayed silent past client.firstReplyTimeout")
        .register(metrics());
    FunctionCounter.builder("hyperinfer.client.gateway.lookedAgain", lookups, GatewayWait::repeated)
        .description("gateway lookups made again because the one before found none (within client.gatewayWait)")
        .register(metrics());
  }

  /** Creates an account; returns Auth's public view of it ({userId, email, roles}). */
  public JsonNode register(String email, String password) {
    return call("register", Json.object().put("email", email).put("password", password));
  }

  /** Logs in and keeps the session for later calls; returns {userId, email, roles, session, expiresAt}. */
  public JsonNode login(String email, String password) {
    JsonNode out = call("login", Json.object().put("email", email).put("password", password));
    session = out.path("session").asText();
    return out;
  }

  public void logout() {
    call("logout", Json.object().put("session", requireSession()));
    session = null;
  }

  /** Creates an API key (shown once) and uses it for later calls; returns {apiKey, key:{keyId, ...}}. */
  public JsonNode createApiKey(String name) {
    JsonNode out = call("createApiKey", Json.object().put("session", requireSession()).put("name", name));
    apiKey = out.path("apiKey").asText();
    return out;
  }

  public JsonNode listApiKeys() {
    return call("listApiKeys", Json.object().put("session", requireSession()));
  }

  public JsonNode revokeApiKey(String keyId) {
    return call("revokeApiKey", Json.object().put("session", requireSession()).put("keyId", keyId));
  }

  /** Uses {@code key} for later calls (null to fall back to the session). */
  public void useApiKey(String key) {
    apiKey = key;
  }

  /** Uses {@code token} as the session for later calls (a session saved by the CLI). */
  public void useSession(String token) {
    session = token;
  }

  public String session() {
    return session;
  }

  public String apiKey() {
    return apiKey;
  }

  /** Usage of the caller over the last {@code days} days, summed over all gateways. */
  public JsonNode usage(int days) {
    return call("usage", credentials(null).put("days", days));
  }

  /** Models served now, with how many processors serve each. */
  public JsonNode models() {
    return call("models", Json.object());
  }

  /** Streams an answer to {@code listener}, authenticated with the current credentials. */
  public InferCall stream(Prompt prompt, TokenListener listener) {
    return stream(null, prompt, listener);
  }

  /** Streams an answer with an explicit API key (null = current credentials). */
  public InferCall stream(String withApiKey, Prompt prompt, TokenListener listener) {
    ObjectNode payload;
    try {
      payload = prompt.toRequest(Credentials.fromJson(credentials(withApiKey))).toJson();
    } catch (NetException e) {
      return FailoverStream.failed(toClient(e));
    }
    return new FailoverStream(net(), gateways, payload, listener, firstReply).start();
  }
  /**
   * Vectors for {@code inputs} from embedding model {@code model}, with an explicit API key (null = current
   * credentials). Routed, limited and metered by the gateway like inference.
   */
  public EmbeddingResult embed(String withApiKey, String model, List<String> inputs) {
    JsonNode payload;
    try {
      payload = new EmbedRequest(model, inputs, Credentials.fromJson(credentials(withApiKey)), null).toJson();
    } catch (NetException e) {
      throw toClient(e);
    }
    try {
      EmbedReply reply = EmbedReply.fromJson(call(NetworkNames.EMBED, payload));
      return new EmbeddingResult(reply.model(), reply.vectors(), (int) reply.usage().promptTokens());
    } catch (NetException e) {
      throw toClient(e);
    }
  }


  /** The whole answer, waiting for the stream to end. */
  public Answer infer(Prompt prompt) {
    try {
      return stream(prompt, t -> { }).done().join();
    } catch (CompletionException e) {
      throw (RuntimeException) e.getCause();
    }
  }

  /**
   * One request/response call to a gateway, failing over between gateways: methods in {@link #RETRY_SAFE} after any
   * failover error, and within the first-reply deadline while another gateway is left; the others only when the
   * gateway never handled the call.
   */
  public JsonNode call(String method, JsonNode payload) {
    return new FailoverCall(net(), gateways, firstReply, timeout, RETRY_SAFE.contains(method)).call(method, payload);
  }

  /** Calls moved to another gateway because the first sent nothing within {@code client.firstReplyTimeout}. */
  public long gatewaysAbandoned() {
    return abandoned.get();
  }

  /** Gateway lookups made again because the one before found none, within {@code client.gatewayWait}. */
  public long gatewayLookupsRepeated() {
    return lookups.repeated();
  }

  private ObjectNode credentials(String explicitKey) {
    ObjectNode p = Json.object();
    String key = explicitKey != null ? explicitKey : apiKey;
    if (key != null) {
      p.put("apiKey", key);
    } else if (session != null) {
      p.put("session", session);
    }
    return p;
  }

  private String requireSession() {
    String s = session;
    if (s == null) {
      throw new ClientException("ERR_UNAUTHORIZED", "log in first", null);
    }
    return s;
  }

  static ClientException noGateway() {
    return new ClientException("ERR_NO_GATEWAY", "no gateway announces " + GatewayFinder.TOPIC, null);
  }

  static ClientException toClient(Throwable t) {
    if (t instanceof ClientException c) {
      return c;
    }
    if (t instanceof NetException r) {
      return new ClientException(r.code(), r.getMessage(), r.details());
    }
    return new ClientException("ERR_INTERNAL", String.valueOf(t), null);
  }

  /** Gateways found now (fresh lookups while {@code client.gatewayWait} lasts), for the CLI's progress line. */
  public List<String> gatewaysFound() {
    List<String> out = new ArrayList<>();
    gateways.firstCandidates(true).forEach(p -> out.add(p.hex().substring(0, 8)));
    return out;
  }
}
