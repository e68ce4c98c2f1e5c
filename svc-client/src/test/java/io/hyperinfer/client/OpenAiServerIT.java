package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The local OpenAI-compatible endpoint, called the way curl and the SDKs call it. */
@Timeout(30)
class OpenAiServerIT {
  private Network network;
  private OpenAiServer server;
  private String apiKey;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    network = Network.start(1, "{\"gateway\":{\"limits\":{\"requestsPerMinute\":4}}}", "{}");
    ClientWorker owner = network.account();
    apiKey = owner.apiKey();
    server = new OpenAiServer(network.client(), "127.0.0.1", 0);
  }

  @AfterEach
  void stop() {
    server.close();
    network.close();
  }

  private HttpResponse<String> post(String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/v1/chat/completions")).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerChatCompletionWhenNotStreaming() throws Exception {
    HttpResponse<String> r = post(apiKey, "{\"model\":\"builtin-echo\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hello openai\"}],\"max_tokens\":64}");
    assertEquals(200, r.statusCode());
    JsonNode body = Json.parse(r.body());
    assertEquals("chat.completion", body.path("object").asText());
    assertTrue(body.path("choices").path(0).path("message").path("content").asText().endsWith("hello openai"));
    assertTrue(body.path("usage").path("total_tokens").asInt() > 0);
  }

  @Test
  void shouldStreamSseEndingWithDoneWhenStreaming() throws Exception {
    HttpResponse<String> r = post(apiKey, "{\"model\":\"builtin-echo\",\"stream\":true,\"messages\":[{\"role\":"
        + "\"user\",\"content\":[{\"type\":\"text\",\"text\":\"sse please\"}]}]}");
    assertEquals(200, r.statusCode());
    assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
    List<String> events = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    assertEquals("[DONE]", events.getLast());
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, events.size() - 1)) {
      text.append(Json.parse(e).path("choices").path(0).path("delta").path("content").asText(""));
    }
    assertTrue(text.toString().endsWith("sse please"), text.toString());
    assertTrue(Json.parse(events.get(events.size() - 2)).path("usage").path("completion_tokens").asInt() > 0);
  }

  @Test
  void shouldListModelsWhenAsked() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/v1/models")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("builtin-echo", Json.parse(r.body()).path("data").path(0).path("id").asText());
  }

  @Test
  void shouldMapErrorsToOpenAiStatusesWhenRequestsFail() throws Exception {
    assertEquals(401, post(null, "{}").statusCode());
    assertEquals(401, post("hi_0000000000000000_" + "a".repeat(43), "{\"model\":\"builtin-echo\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"x\"}]}").statusCode());
    assertEquals(400, post(apiKey, "not json").statusCode());
    assertEquals(400, post(apiKey, "{\"model\":\"builtin-echo\",\"messages\":[]}").statusCode());
    HttpResponse<String> noModel = post(apiKey, "{\"model\":\"nope\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"}]}");
    assertEquals(503, noModel.statusCode());
    assertEquals("ERR_NO_PROCESSOR", Json.parse(noModel.body()).path("error").path("code").asText());
    HttpResponse<String> limited = null;
    for (int i = 0; i < 6 && (limited == null || limited.statusCode() == 200); i++) {
      limited = post(apiKey, "{\"model\":\"builtin-echo\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    }
    assertEquals(429, limited.statusCode());
    assertTrue(limited.headers().firstValue("Retry-After").isPresent());
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
        + "/v1/chat/completions")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(405, get.statusCode());
  }
}
