package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.EmbeddingResult;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local OpenAI-compatible HTTP endpoint in front of the network, so the OpenAI SDKs and curl work unchanged: {@code
 * POST /v1/chat/completions}, {@code POST /v1/completions} (whole answers, or server-sent events ending in {@code data:
 * [DONE]}), {@code POST /v1/embeddings}, {@code GET /v1/models} and {@code GET /v1/models/{id}}. The Bearer token is
 * the caller's Hyperinfer API key, passed to the gateway per request. Every error, on every path (unknown routes and
 * wrong methods included), is OpenAI-shaped JSON ({@link OpenAiError}). Binds 127.0.0.1 unless told otherwise.
 * Thread-safe.
 */
public final class OpenAiServer implements AutoCloseable {
  /** The largest request body read, by default: room for a few base64 images. */
  public static final int DEFAULT_MAX_BODY = 10 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(OpenAiServer.class);

  private final ClientWorker client;
  private final HttpServer server;
  private final int maxBody;

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public OpenAiServer(ClientWorker client, String host, int port) throws IOException {
    this(client, host, port, DEFAULT_MAX_BODY);
  }

  public OpenAiServer(ClientWorker client, String host, int port, int maxBody) throws IOException {
    this.client = client;
    this.maxBody = maxBody;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      try {
        route(ex);
      } catch (ClientException e) {
        send(ex, OpenAiError.fromClient(e));
      } catch (NetException e) {
        send(ex, OpenAiError.fromClient(new ClientException(e.code(), e.getMessage(), e.details())));
      } catch (OpenAiError e) {
        send(ex, e);
      } catch (RuntimeException e) {
        LOG.warn("OpenAI endpoint failed on {} {}", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
        send(ex, new OpenAiError(500, OpenAiError.SERVER_ERROR, "server_error", null,
            "the endpoint failed: " + e.getClass().getSimpleName(), -1));
      }
    } catch (IOException callerGone) {
      // the caller closed the connection; nothing is left to answer
    }
  }

  private void route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    String method = ex.getRequestMethod();
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

  private static void post(HttpExchange ex, String method, Action action) throws IOException {
    allow(ex, method, "POST");
    action.run();
  }

  private static void get(HttpExchange ex, String method, Action action) throws IOException {
    allow(ex, method, "GET");
    action.run();
  }

  private static void allow(HttpExchange ex, String method, String allowed) {
    if (!allowed.equals(method)) {
      ex.getResponseHeaders().add("Allow", allowed);
      throw new OpenAiError(405, OpenAiError.INVALID_REQUEST, "method_not_allowed", null,
          "Method " + method + " is not allowed on " + ex.getRequestURI().getPath() + "; use " + allowed, -1);
    }
  }

  /** The caller's API key from {@code Authorization: Bearer ...}, checked before the body is read. */
  private static String apiKey(HttpExchange ex) {
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    if (auth == null || !auth.startsWith("Bearer ") || auth.substring(7).isBlank()) {
      throw new OpenAiError(401, OpenAiError.INVALID_REQUEST, "invalid_api_key", null,
          "You didn't provide an API key. Send your Hyperinfer API key as 'Authorization: Bearer hi_...'.", -1);
    }
    return auth.substring(7).trim();
  }

  private JsonNode body(HttpExchange ex) throws IOException {
    InputStream in = ex.getRequestBody();
    byte[] bytes = in.readNBytes(maxBody + 1);
    if (bytes.length > maxBody) {
      throw new OpenAiError(413, OpenAiError.INVALID_REQUEST, "request_too_large", null,
          "the request body is larger than " + maxBody + " bytes", -1);
    }
    try {
      return Json.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw OpenAiError.invalid("invalid_json", null, "the request body is not valid JSON");
    }
  }

  private void generate(HttpExchange ex, boolean chat) throws IOException {
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

  private void embeddings(HttpExchange ex) throws IOException {
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

  private void models(HttpExchange ex, String id) throws IOException {
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

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.toBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void send(HttpExchange ex, OpenAiError e) throws IOException {
    if (e.retryAfterSeconds() > 0) {
      ex.getResponseHeaders().add("Retry-After", String.valueOf(e.retryAfterSeconds()));
    }
    send(ex, e.status(), e.toJson());
  }
}
