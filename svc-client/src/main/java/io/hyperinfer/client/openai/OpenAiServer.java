package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.EmbeddingResult;
import io.hyperinfer.client.openai.http.BoundedHttpServer;
import io.hyperinfer.client.openai.http.Exchange;
import io.hyperinfer.client.openai.http.HttpLimits;
import io.hyperinfer.client.openai.http.RequestRejected;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local OpenAI-compatible HTTP endpoint in front of the network, so the OpenAI SDKs and curl work unchanged: {@code
 * POST /v1/chat/completions}, {@code POST /v1/completions} (whole answers, or server-sent events ending in {@code data:
 * [DONE]}), {@code POST /v1/embeddings}, {@code GET /v1/models} and {@code GET /v1/models/{id}}. The Bearer token is
 * the caller's Hyperinfer API key, passed to the gateway per request. Every error, on every path (unknown routes and
 * wrong methods included), is OpenAI-shaped JSON ({@link OpenAiError}). Binds 127.0.0.1 unless told otherwise. Served
 * by {@link BoundedHttpServer} within {@link HttpLimits} (connections, requests in flight, head and body sizes, read,
 * idle and write deadlines). Thread-safe.
 */
public final class OpenAiServer implements AutoCloseable {
  /** The largest request body read, by default: room for a few base64 images. */
  public static final int DEFAULT_MAX_BODY = HttpLimits.DEFAULT.maxBodyBytes();
  /** The longest Bearer value looked at; a longer one is refused before the body is read. */
  static final int MAX_KEY_CHARS = 256;
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);

  private final ClientWorker client;
  private final BoundedHttpServer server;

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one) within the limits of the client's config section
   * {@value HttpLimits#SECTION} ({@link HttpLimits#DEFAULT} for what it does not set).
   */
  public OpenAiServer(ClientWorker client, String host, int port) throws IOException {
    this(client, host, port, HttpLimits.fromConfig(client.config()));
  }

  /** As {@link #OpenAiServer(ClientWorker, String, int)}, with request bodies capped at {@code maxBody} bytes. */
  public OpenAiServer(ClientWorker client, String host, int port, int maxBody) throws IOException {
    this(client, host, port, HttpLimits.DEFAULT.withMaxBodyBytes(maxBody));
  }

  public OpenAiServer(ClientWorker client, String host, int port, HttpLimits limits) throws IOException {
    this.client = client;
    this.server = BoundedHttpServer.start(host, port, limits, this::handle, OpenAiServer::refusal);
  }

  public int port() {
    return server.port();
  }

  /** The HTTP server underneath, for its counters (requests in flight, refusals, write timeouts). */
  public BoundedHttpServer http() {
    return server;
  }

  @Override
  public void close() {
    server.close();
  }

  /** What the HTTP server answers when it refuses a request itself, in OpenAI's shape. */
  private static byte[] refusal(int status, String code, String message) {
    String type = status == 429 ? "rate_limit_error" : status >= 500 ? OpenAiError.SERVER_ERROR
        : OpenAiError.INVALID_REQUEST;
    return Json.toBytes(new OpenAiError(status, type, code, null, message, -1).toJson());
  }

  private void handle(Exchange ex) throws IOException {
    try {
      route(ex);
    } catch (RequestRejected e) {
      throw e; // the HTTP server answers these and closes the connection
    } catch (ClientException e) {
      send(ex, OpenAiError.fromClient(e));
    } catch (NetException e) {
      send(ex, OpenAiError.fromClient(new ClientException(e.code(), e.getMessage(), e.details())));
    } catch (OpenAiError e) {
      send(ex, e);
    } catch (RuntimeException e) {
      LOG.warn("OpenAI endpoint failed on {} {}", ex.method(), ex.path(), e);
      send(ex, new OpenAiError(500, OpenAiError.SERVER_ERROR, "server_error", null,
          "the endpoint failed: " + e.getClass().getSimpleName(), -1));
    }
  }

  private void route(Exchange ex) throws IOException {
    String path = ex.path();
    String method = ex.method();
    switch (path) {
      case "/v1/chat/completions" -> post(ex, method, () -> generate(ex, true));
      case "/v1/completions" -> post(ex, method, () -> generate(ex, false));
      case "/v1/embeddings" -> post(ex, method, () -> embeddings(ex));
      case "/v1/models" -> get(ex, method, () -> models(ex, null));
      default -> {
        if (path.startsWith("/v1/models/") && path.length() > "/v1/models/".length()) {
          get(ex, method, () -> models(ex, URLDecoder.decode(path.substring("/v1/models/".length()),
              StandardCharsets.UTF_8)));
        } else {
          throw new OpenAiError(404, OpenAiError.INVALID_REQUEST, "unknown_url", null,
              "Invalid URL (" + method + " " + path + ")", -1);
        }
      }
    }
  }

  /** A route's work. */
  private interface Action {
    void run() throws IOException;
  }

  private static void post(Exchange ex, String method, Action action) throws IOException {
    allow(ex, method, "POST");
    action.run();
  }

  private static void get(Exchange ex, String method, Action action) throws IOException {
    allow(ex, method, "GET");
    action.run();
  }

  private static void allow(Exchange ex, String method, String allowed) {
    if (!allowed.equals(method)) {
      ex.setHeader("Allow", allowed);
      throw new OpenAiError(405, OpenAiError.INVALID_REQUEST, "method_not_allowed", null,
          "Method " + method + " is not allowed on " + ex.path() + "; use " + allowed, -1);
    }
  }

  /** The caller's API key from {@code Authorization: Bearer ...}, checked before the body is read. */
  private static String apiKey(Exchange ex) {
    String auth = ex.header("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || auth.substring(7).isBlank()
        || auth.length() > "Bearer ".length() + MAX_KEY_CHARS) {
      throw new OpenAiError(401, OpenAiError.INVALID_REQUEST, "invalid_api_key", null,
          "You didn't provide an API key. Send your Hyperinfer API key as 'Authorization: Bearer hi_...'.", -1);
    }
    return auth.substring(7).trim();
  }

  private static JsonNode body(Exchange ex) throws IOException {
    byte[] bytes = ex.body();
    try {
      return Json.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw OpenAiError.invalid("invalid_json", null, "the request body is not valid JSON");
    }
  }

  private void generate(Exchange ex, boolean chat) throws IOException {
    String key = apiKey(ex);
    GenerationCall call = chat ? ChatRequests.parse(body(ex)) : LegacyRequests.completion(body(ex));
    Responses format = chat ? Responses.chat(call.prompt().model()) : Responses.completion(call.prompt().model());
    if (call.stream()) {
      new SseStream(format, chat, call.includeUsage()).run(ex, listener -> client.stream(key, call.prompt(),
          listener));
      return;
    }
    send(ex, 200, format.whole(join(client.stream(key, call.prompt(), t -> { }).done())));
  }

  private void embeddings(Exchange ex) throws IOException {
    String key = apiKey(ex);
    LegacyRequests.EmbeddingCall call = LegacyRequests.embedding(body(ex));
    EmbeddingResult r = client.embed(key, call.model(), call.inputs());
    int dims = r.vectors().isEmpty() ? 0 : r.vectors().getFirst().length;
    if (call.dimensions() != null && call.dimensions() != dims) {
      throw OpenAiError.unsupportedValue("dimensions", "model '" + call.model() + "' makes " + dims
          + "-dimension vectors and cannot shorten them");
    }
    send(ex, 200, Responses.embeddings(r, call.base64()));
  }

  private void models(Exchange ex, String id) throws IOException {
    ObjectNode list = Json.object().put("object", "list");
    ArrayNode data = list.putArray("data");
    for (JsonNode m : client.models().path("models")) {
      if (id == null) {
        data.add(Responses.model(m));
      } else if (id.equals(m.path("id").asText())) {
        send(ex, 200, Responses.model(m));
        return;
      }
    }
    if (id != null) {
      throw new OpenAiError(404, OpenAiError.INVALID_REQUEST, "model_not_found", "model", "The model '" + id
          + "' does not exist on this network", -1);
    }
    send(ex, 200, list);
  }

  private static Answer join(java.util.concurrent.CompletableFuture<Answer> done) {
    try {
      return done.join();
    } catch (CompletionException e) {
      throw SseStream.clientError(e);
    }
  }

  private static void send(Exchange ex, int status, JsonNode body) throws IOException {
    ex.respond(status, "application/json", Json.toBytes(body));
  }

  private static void send(Exchange ex, OpenAiError e) throws IOException {
    if (e.retryAfterSeconds() > 0) {
      ex.setHeader("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
    send(ex, e.status(), e.toJson());
  }
}
