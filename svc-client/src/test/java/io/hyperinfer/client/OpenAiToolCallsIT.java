package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hyperinfer.client.openai.OpenAiServer;
import io.hyperinfer.worker.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Tools, sampling options and images through the whole path: OpenAI request -> endpoint -> gateway -> processor ->
 * Ollama engine, and the model's tool calls back as OpenAI tool_calls, whole and streamed. At the far edge an HTTP
 * server replays Ollama's real NDJSON for a tool call (no model can be installed here).
 */
@Timeout(60)
class OpenAiToolCallsIT {
  private static final String TOOL_CALL = "{\"model\":\"tool-model\",\"created_at\":\"2024-07-22T20:33:28Z\","
      + "\"message\":{\"role\":\"assistant\",\"content\":\"\",\"tool_calls\":[{\"function\":{\"name\":\"weather\","
      + "\"arguments\":{\"city\":\"Paris\"}}}]},\"done\":false}\n"
      + "{\"model\":\"tool-model\",\"created_at\":\"2024-07-22T20:33:29Z\",\"message\":{\"role\":\"assistant\","
      + "\"content\":\"\"},\"done_reason\":\"stop\",\"done\":true,\"prompt_eval_count\":40,\"eval_count\":12}\n";

  private HttpServer ollama;
  private final List<JsonNode> received = new CopyOnWriteArrayList<>();
  private Network network;
  private OpenAiServer server;
  private String apiKey;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    ollama = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ollama.createContext("/api/chat", this::replay);
    ollama.start();
    String engine = "{\"type\":\"ollama\",\"ollama\":{\"baseUrl\":\"http://127.0.0.1:" + ollama.getAddress().getPort()
        + "\",\"models\":[\"tool-model\"]}}";
    network = Network.start(1, "{}", engine);
    apiKey = network.account().apiKey();
    server = new OpenAiServer(network.client(), "127.0.0.1", 0);
  }

  private void replay(HttpExchange ex) throws IOException {
    try (ex) {
      received.add(Json.parse(ex.getRequestBody().readAllBytes()));
      byte[] body = TOOL_CALL.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @AfterEach
  void stop() {
    server.close();
    network.close();
    ollama.stop(0);
  }

  private HttpResponse<String> chat(String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Authorization", "Bearer " + apiKey).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final String TOOLS = "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"weather\","
      + "\"description\":\"Current weather\",\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":"
      + "{\"type\":\"string\"}},\"required\":[\"city\"]}}}],\"tool_choice\":\"auto\"";

  @Test
  void shouldReturnToolCallsAndForwardEveryOptionWhenModelCallsATool() throws Exception {
    HttpResponse<String> r = chat("{\"model\":\"tool-model\",\"messages\":[{\"role\":\"developer\",\"content\":"
        + "\"be brief\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"weather here?\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}],"
        + TOOLS + ",\"top_p\":0.9,\"seed\":11,\"presence_penalty\":0.5,\"frequency_penalty\":0.25,\"stop\":[\"END\"],"
        + "\"max_completion_tokens\":99,\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\","
        + "\"schema\":{\"type\":\"object\"}}}}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode choice = Json.parse(r.body()).at("/choices/0");
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    assertTrue(choice.at("/message/content").isNull());
    JsonNode call = choice.at("/message/tool_calls/0");
    assertTrue(call.path("id").asText().startsWith("call_"));
    assertEquals("function", call.path("type").asText());
    assertEquals("weather", call.at("/function/name").asText());
    assertEquals("Paris", Json.parse(call.at("/function/arguments").asText()).path("city").asText());

    JsonNode sent = received.getFirst();
    assertEquals("system", sent.at("/messages/0/role").asText());
    assertEquals("iVBORw0KGgo=", sent.at("/messages/1/images/0").asText());
    assertEquals("weather", sent.at("/tools/0/function/name").asText());
    assertEquals("object", sent.at("/format/type").asText());
    JsonNode options = sent.path("options");
    assertEquals(0.9, options.path("top_p").asDouble());
    assertEquals(11, options.path("seed").asInt());
    assertEquals(0.5, options.path("presence_penalty").asDouble());
    assertEquals(0.25, options.path("frequency_penalty").asDouble());
    assertEquals("END", options.at("/stop/0").asText());
    assertEquals(99, options.path("num_predict").asInt());
  }

  @Test
  void shouldStreamToolCallDeltasAndSendToolResultsBack() throws Exception {
    HttpResponse<String> r = chat("{\"model\":\"tool-model\",\"stream\":true,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"weather in Paris?\"},"
        + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"sunny, 21C\"}]," + TOOLS + "}");
    assertEquals(200, r.statusCode(), r.body());
    List<JsonNode> events = r.body().lines().filter(l -> l.startsWith("data: ") && !l.equals("data: [DONE]"))
        .map(l -> Json.parse(l.substring(6))).toList();
    assertEquals("assistant", events.getFirst().at("/choices/0/delta/role").asText());
    JsonNode delta = events.get(1).at("/choices/0/delta/tool_calls/0");
    assertEquals(0, delta.path("index").asInt());
    assertEquals("function", delta.path("type").asText());
    assertEquals("weather", delta.at("/function/name").asText());
    assertEquals("{\"city\":\"Paris\"}", delta.at("/function/arguments").asText());
    assertEquals("tool_calls", events.getLast().at("/choices/0/finish_reason").asText());

    JsonNode sent = received.getFirst().path("messages");
    assertEquals("Paris", sent.at("/1/tool_calls/0/function/arguments/city").asText());
    assertEquals("tool", sent.at("/2/role").asText());
    assertEquals("sunny, 21C", sent.at("/2/content").asText());
  }
}
