package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hyperinfer.worker.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/**
 * A local OpenAI-compatible HTTP endpoint in front of the network, so OpenAI SDKs and curl work unchanged: {@code GET
 * /v1/models} and {@code POST /v1/chat/completions} (whole answers, or SSE chunks ending in {@code data: [DONE]} when
 * {@code stream} is true). The Bearer token is the caller's Hyperinfer API key and is passed to the gateway per
 * request. Binds 127.0.0.1 unless told otherwise. Network errors map to OpenAI-style error bodies with fitting HTTP
 * statuses. Thread-safe.
 */
public final class OpenAiServer implements AutoCloseable {
  private static final int MAX_BODY = 1 << 20;

  private final ClientWorker client;
  private final HttpServer server;

  /** Starts serving on {@code host:port} (port 0 picks a free one). */
  public OpenAiServer(ClientWorker client, String host, int port) throws IOException {
    this.client = client;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/models", this::models);
    server.createContext("/v1/chat/completions", this::chat);
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void models(HttpExchange ex) throws IOException {
    try (ex) {
      models0(ex);
    }
  }

  private void chat(HttpExchange ex) throws IOException {
    try (ex) {
      chat0(ex);
    }
  }

  private void models0(HttpExchange ex) throws IOException {
    try {
      ObjectNode out = Json.object().put("object", "list");
      var data = out.putArray("data");
      client.models().path("models").forEach(m -> data.addObject().put("id", m.path("id").asText())
          .put("object", "model").put("owned_by", "hyperinfer"));
      send(ex, 200, out);
    } catch (ClientException e) {
      error(ex, e);
    }
  }

  private void chat0(HttpExchange ex) throws IOException {
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        send(ex, 405, errorBody("use POST", "invalid_request_error", "method_not_allowed"));
        return;
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ") || auth.length() <= 7) {
        send(ex, 401, errorBody("send your Hyperinfer API key as 'Authorization: Bearer hi_...'",
            "invalid_request_error", "invalid_api_key"));
        return;
      }
      JsonNode body;
      try {
        body = Json.parse(ex.getRequestBody().readNBytes(MAX_BODY));
      } catch (IllegalArgumentException e) {
        send(ex, 400, errorBody("request body is not JSON", "invalid_request_error", "bad_request"));
        return;
      }
      List<Message> messages = new ArrayList<>();
      body.path("messages").forEach(m -> messages.add(new Message(m.path("role").asText(), content(m))));
      Prompt prompt = new Prompt(body.path("model").asText(""), messages,
          body.path("max_tokens").asInt(body.path("max_completion_tokens").asInt(256)),
          body.path("temperature").asDouble(0.7));
      String key = auth.substring(7).trim();
      if (body.path("stream").asBoolean(false)) {
        stream(ex, key, prompt);
      } else {
        whole(ex, key, prompt);
      }
    } catch (ClientException e) {
      error(ex, e);
    }
  }

  private void whole(HttpExchange ex, String key, Prompt prompt) throws IOException {
    Answer a = join(client.stream(key, prompt, t -> { }));
    ObjectNode out = Json.object().put("id", "chatcmpl-" + UUID.randomUUID()).put("object", "chat.completion")
        .put("created", System.currentTimeMillis() / 1000).put("model", prompt.model());
    ObjectNode choice = out.putArray("choices").addObject().put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", a.text());
    choice.put("finish_reason", a.finishReason());
    out.putObject("usage").put("prompt_tokens", a.promptTokens()).put("completion_tokens", a.completionTokens())
        .put("total_tokens", a.totalTokens());
    out.set("hyperinfer", Json.object().put("processor", a.processor()).put("attempts", a.attempts())
        .set("timings", a.timings()));
    send(ex, 200, out);
  }

  private void stream(HttpExchange ex, String key, Prompt prompt) throws IOException {
    String id = "chatcmpl-" + UUID.randomUUID();
    long created = System.currentTimeMillis() / 1000;
    OutputStream out = ex.getResponseBody();
    boolean[] headersSent = {false};
    Object lock = new Object();
    InferCall call = client.stream(key, prompt, text -> {
      synchronized (lock) {
        try {
          if (!headersSent[0]) {
            sseHeaders(ex);
            headersSent[0] = true;
          }
          event(out, chunk(id, created, prompt.model(), Json.object().put("content", text), null));
        } catch (IOException clientGone) {
          throw new java.io.UncheckedIOException(clientGone);
        }
      }
    });
    Answer a;
    try {
      a = join(call);
    } catch (java.io.UncheckedIOException clientGone) {
      call.cancel();
      return;
    } catch (ClientException e) {
      synchronized (lock) {
        if (!headersSent[0]) {
          throw e;
        }
        event(out, errorBody(e.getMessage(), "server_error", e.code()));
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    synchronized (lock) {
      if (!headersSent[0]) {
        sseHeaders(ex);
        headersSent[0] = true;
      }
      event(out, chunk(id, created, prompt.model(), Json.object(), a.finishReason()));
      ObjectNode usage = chunk(id, created, prompt.model(), null, null);
      usage.putObject("usage").put("prompt_tokens", a.promptTokens()).put("completion_tokens", a.completionTokens())
          .put("total_tokens", a.totalTokens());
      event(out, usage);
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }

  private static ObjectNode chunk(String id, long created, String model, ObjectNode delta, String finish) {
    ObjectNode c = Json.object().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
    var choices = c.putArray("choices");
    if (delta != null) {
      ObjectNode choice = choices.addObject().put("index", 0);
      choice.set("delta", delta);
      choice.put("finish_reason", finish);
    }
    return c;
  }

  private static String content(JsonNode m) {
    JsonNode c = m.path("content");
    if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      c.forEach(part -> sb.append(part.path("text").asText("")));
      return sb.toString();
    }
    return c.asText("");
  }

  private static Answer join(InferCall call) {
    try {
      return call.done().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private static void sseHeaders(HttpExchange ex) throws IOException {
    ex.getResponseHeaders().add("Content-Type", "text/event-stream");
    ex.getResponseHeaders().add("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
  }

  private static void event(OutputStream out, JsonNode data) throws IOException {
    out.write(("data: " + Json.MAPPER.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void send(HttpExchange ex, int status, JsonNode body) throws IOException {
    byte[] bytes = Json.toBytes(body);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static void error(HttpExchange ex, ClientException e) throws IOException {
    int status = switch (e.code()) {
      case "ERR_UNAUTHORIZED", "ERR_INVALID_KEY", "ERR_KEY_REVOKED", "ERR_KEY_EXPIRED", "ERR_INVALID_SESSION" -> 401;
      case "ERR_FORBIDDEN" -> 403;
      case "ERR_RATE_LIMITED", "ERR_QUOTA_EXCEEDED" -> 429;
      case "ERR_BAD_REQUEST" -> 400;
      case "ERR_NO_PROCESSOR", "ERR_NO_GATEWAY", "ERR_AUTH_UNAVAILABLE", "ERR_BUSY" -> 503;
      case "ERR_TIMEOUT" -> 504;
      default -> 500;
    };
    if (e.retryAfterMs() > 0) {
      ex.getResponseHeaders().add("Retry-After", String.valueOf(Math.max(1, (e.retryAfterMs() + 999) / 1000)));
    }
    send(ex, status, errorBody(e.getMessage(), status == 429 ? "rate_limit_error" : "invalid_request_error",
        e.code()));
  }

  private static ObjectNode errorBody(String message, String type, String code) {
    ObjectNode out = Json.object();
    out.putObject("error").put("message", message).put("type", type).put("code", code);
    return out;
  }
}
