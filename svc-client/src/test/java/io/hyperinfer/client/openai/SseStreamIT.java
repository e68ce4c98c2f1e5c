package io.hyperinfer.client.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.InferCall;
import io.hyperinfer.client.TokenListener;
import io.hyperinfer.client.openai.http.BoundedHttpServer;
import io.hyperinfer.client.openai.http.HttpLimits;
import io.hyperinfer.worker.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** SseStream on a real HTTP exchange, fed by a scripted call: errors after the first piece, and a reader left behind. */
@Timeout(30)
class SseStreamIT {
  private BoundedHttpServer server;
  private final AtomicBoolean cancelled = new AtomicBoolean();

  @AfterEach
  void stop() {
    server.close();
  }

  /** A call that plays {@code script} on the listener (on another thread), then completes {@code done}. */
  private final class Scripted implements InferCall {
    final CompletableFuture<Answer> done = new CompletableFuture<>();

    @Override
    public void cancel() {
      cancelled.set(true);
    }

    @Override
    public CompletableFuture<Answer> done() {
      return done;
    }
  }

  private String serve(Consumer<TokenListener> script, ClientException failure) throws Exception {
    server = BoundedHttpServer.start("127.0.0.1", 0, HttpLimits.DEFAULT, ex -> {
      try {
        new SseStream(Responses.chat("m"), true, false).run(ex, listener -> {
          Scripted call = new Scripted();
          script.accept(listener);
          call.done.completeExceptionally(failure);
          return call;
        });
      } catch (ClientException e) {
        OpenAiError error = OpenAiError.fromClient(e);
        ex.respond(error.status(), "application/json", Json.toBytes(error.toJson()));
      }
    }, (status, code, message) -> Json.toBytes(Json.object().put("code", code)));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + server.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
    return r.statusCode() + "\n" + r.body();
  }

  @Test
  void shouldEndWithErrorEventWhenStreamFailsAfterFirstPiece() throws Exception {
    String out = serve(l -> {
      l.onToken("partial ");
      l.onToken("answer");
    }, new ClientException("ERR_ENGINE_FAILED", "engine broke", null));
    assertTrue(out.startsWith("200\n"), out);
    List<JsonNode> events = out.lines().filter(s -> s.startsWith("data: ")).map(s -> Json.parse(s.substring(6)))
        .toList();
    assertEquals("assistant", events.getFirst().at("/choices/0/delta/role").asText());
    assertEquals("partial ", events.get(1).at("/choices/0/delta/content").asText());
    assertEquals("server_error", events.getLast().at("/error/code").asText());
    assertFalse(out.contains("[DONE]"), out);
  }

  @Test
  void shouldAnswerHttpErrorWhenStreamFailsBeforeAnything() throws Exception {
    String out = serve(l -> { }, new ClientException("ERR_RATE_LIMITED", "slow down",
        Json.object().put("retryAfterMs", 1000)));
    assertTrue(out.startsWith("429\n"), out);
    assertEquals("rate_limit_exceeded", Json.parse(out.substring(4)).at("/error/code").asText());
  }

  @Test
  void shouldCancelGenerationWhenPiecesPileUpUnwritten() throws Exception {
    serve(l -> {
      for (int i = 0; i <= SseStream.MAX_QUEUED + 1; i++) {
        l.onToken("x");
      }
    }, new ClientException("ERR_CANCELLED", "cancelled", null));
    assertTrue(cancelled.get(), "a reader that falls behind the queue bound cancels the generation");
  }
}
