package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.openai.OpenAiServer;
import io.hyperinfer.processor.engine.Embeddings;
import io.hyperinfer.worker.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The local OpenAI-compatible endpoint, called the way curl and the SDKs call it, in front of a whole in-process network
 * (builtin echo for generation, the embedded all-MiniLM-L6-v2 for embeddings). One network for the class: these calls
 * only read.
 */
@Timeout(60)
class OpenAiServerIT {
  private static final String ECHO = "builtin-echo";
  private static Network network;
  private static OpenAiServer server;
  private static String apiKey;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    network = Network.startWith(1, "{\"gateway\":{\"limits\":{\"requestsPerMinute\":1000}}}",
        "{\"type\":\"minilm\"}", "{}");
    apiKey = network.account().apiKey();
    server = new OpenAiServer(network.client(), "127.0.0.1", 0, 64 * 1024);
  }

  @AfterAll
  static void stop() {
    server.close();
    network.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> post(String path, String key, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (key != null) {
      b.header("Authorization", "Bearer " + key);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> chat(String body) throws Exception {
    return post("/v1/chat/completions", apiKey, body);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String user(String text) {
    return "\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]";
  }

  private static List<JsonNode> events(HttpResponse<String> r) {
    List<String> data = r.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    assertEquals("[DONE]", data.getLast());
    return data.subList(0, data.size() - 1).stream().map(Json::parse).toList();
  }

  /** Asserts an OpenAI-shaped error: status, JSON body with error.message, type, code (and param when given). */
  static JsonNode assertError(HttpResponse<String> r, int status, String code, String param) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode e = Json.parse(r.body()).path("error");
    assertFalse(e.path("message").asText().isBlank(), r.body());
    assertFalse(e.path("type").asText().isBlank(), r.body());
    assertEquals(code, e.path("code").asText(), r.body());
    if (param != null) {
      assertEquals(param, e.path("param").asText(), r.body());
    }
    return e;
  }

  @Test
  void shouldAnswerChatCompletionInOpenAiShapeWhenNotStreaming() throws Exception {
    HttpResponse<String> r = chat("{\"model\":\"" + ECHO + "\"," + user("hello openai")
        + ",\"max_tokens\":64,\"seed\":7,\"user\":\"u-1\",\"n\":1}");
    assertEquals(200, r.statusCode());
    JsonNode body = Json.parse(r.body());
    assertEquals("chat.completion", body.path("object").asText());
    assertTrue(body.path("id").asText().startsWith("chatcmpl-"));
    assertTrue(body.path("created").asLong() > 1_700_000_000L);
    JsonNode choice = body.path("choices").path(0);
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertTrue(choice.path("message").path("content").asText().endsWith("hello openai"));
    assertEquals("stop", choice.path("finish_reason").asText());
    JsonNode usage = body.path("usage");
    assertEquals(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt(),
        usage.path("total_tokens").asInt());
  }

  @Test
  void shouldSendRoleFirstAndUsageOnlyWhenAskedWhenStreaming() throws Exception {
    HttpResponse<String> r = chat("{\"model\":\"" + ECHO + "\",\"stream\":true,\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"sse please\"}]}]}");
    assertEquals(200, r.statusCode());
    assertEquals("text/event-stream", r.headers().firstValue("Content-Type").orElse(""));
    List<JsonNode> events = events(r);
    JsonNode first = events.getFirst().path("choices").path(0);
    assertEquals("assistant", first.path("delta").path("role").asText());
    StringBuilder text = new StringBuilder();
    for (JsonNode e : events) {
      assertEquals("chat.completion.chunk", e.path("object").asText());
      assertEquals(events.getFirst().path("id").asText(), e.path("id").asText());
      text.append(e.path("choices").path(0).path("delta").path("content").asText(""));
    }
    assertTrue(text.toString().endsWith("sse please"), text.toString());
    assertEquals("stop", events.getLast().path("choices").path(0).path("finish_reason").asText());
    assertTrue(events.stream().noneMatch(e -> e.has("usage")));

    List<JsonNode> withUsage = events(chat("{\"model\":\"" + ECHO + "\",\"stream\":true,\"stream_options\":"
        + "{\"include_usage\":true}," + user("count me") + "}"));
    JsonNode last = withUsage.getLast();
    assertEquals(0, last.path("choices").size());
    assertTrue(last.path("usage").path("completion_tokens").asInt() > 0);
  }

  @Test
  void shouldHonourStopAndRefuseWhatTheModelCannotDoInOpenAiShape() throws Exception {
    JsonNode stopped = Json.parse(chat("{\"model\":\"" + ECHO + "\"," + user("alpha beta gamma")
        + ",\"stop\":\" gamma\"}").body());
    assertTrue(stopped.at("/choices/0/message/content").asText().endsWith("alpha beta"));
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"top_p\":0.5}"), 400, "unsupported_parameter",
        "top_p");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"presence_penalty\":0.5}"), 400,
        "unsupported_parameter", "presence_penalty");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"response_format\":{\"type\":\"json_object\"}}"),
        400, "unsupported_parameter", "response_format");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"f\",\"parameters\":{\"type\":\"object\"}}}]}"), 400, "unsupported_parameter", "tools");
    assertError(chat("{\"model\":\"" + ECHO + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":["
        + "{\"type\":\"text\",\"text\":\"what is it?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":"
        + "\"data:image/png;base64,iVBORw0KGgo=\"}}]}]}"), 400, "unsupported_parameter", "messages");
  }

  @Test
  void shouldRefuseUnknownAndUnofferedParametersByName() throws Exception {
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"frobnicate\":1}"), 400, "unknown_parameter",
        "frobnicate");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"n\":2}"), 400, "unsupported_value", "n");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"logprobs\":true}"), 400, "unsupported_value",
        "logprobs");
    assertError(chat("{\"model\":\"" + ECHO + "\",\"messages\":[{\"role\":\"user\",\"content\":\"x\",\"name\":\"bob\"}]}"),
        400, "unsupported_parameter", "name");
    assertError(chat("{\"model\":\"" + ECHO + "\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
        + "\"input_audio\",\"input_audio\":{}}]}]}"), 400, "unsupported_value", "messages[0].content");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"temperature\":\"hot\"}"), 400, "invalid_type",
        "temperature");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"max_tokens\":0}"), 400, "invalid_value",
        "max_tokens");
    assertError(chat("{\"model\":\"" + ECHO + "\"}"), 400, "missing_required_parameter", "messages");
    assertError(chat("{\"model\":\"" + ECHO + "\",\"messages\":[]}"), 400, "invalid_value", "messages");
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x") + ",\"stream_options\":{\"include_usage\":true}}"),
        400, "invalid_value", "stream_options");
  }

  @Test
  void shouldAnswerEveryErrorWithOpenAiStatusAndCode() throws Exception {
    assertError(post("/v1/chat/completions", null, "{}"), 401, "invalid_api_key", null);
    assertError(post("/v1/embeddings", null, "{}"), 401, "invalid_api_key", null);
    assertError(post("/v1/chat/completions", "k".repeat(300), "{}"), 401, "invalid_api_key", null);
    assertError(post("/v1/chat/completions", "hi_0000000000000000_" + "a".repeat(43), "{\"model\":\"" + ECHO + "\","
        + user("x") + "}"), 401, "invalid_api_key", null);
    assertError(chat("not json"), 400, "invalid_json", null);
    assertError(chat("[1,2]"), 400, "invalid_json", null);
    assertError(chat("{\"model\":\"gpt-9\"," + user("x") + "}"), 404, "model_not_found", "model");
    assertError(chat("{\"model\":\"gpt-9\",\"stream\":true," + user("x") + "}"), 404, "model_not_found", "model");
    assertError(get("/v1/chat/completions"), 405, "method_not_allowed", null);
    assertEquals("POST", get("/v1/chat/completions").headers().firstValue("Allow").orElse(""));
    assertError(post("/v1/models", apiKey, "{}"), 405, "method_not_allowed", null);
    assertError(get("/v1/nothing-here"), 404, "unknown_url", null);
    assertError(get("/"), 404, "unknown_url", null);
    assertError(post("/v1/responses", apiKey, "{}"), 404, "unknown_url", null);
    assertError(chat("{\"model\":\"" + ECHO + "\"," + user("x".repeat(70_000)) + "}"), 413, "request_too_large", null);
  }

  @Test
  void shouldServeLegacyCompletionsWholeAndStreamed() throws Exception {
    HttpResponse<String> r = post("/v1/completions", apiKey, "{\"model\":\"" + ECHO + "\",\"prompt\":\"Once upon\","
        + "\"max_tokens\":64,\"echo\":false}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = Json.parse(r.body());
    assertEquals("text_completion", body.path("object").asText());
    assertTrue(body.path("id").asText().startsWith("cmpl-"));
    assertTrue(body.at("/choices/0/text").asText().endsWith("Once upon"));
    assertTrue(body.at("/usage/total_tokens").asInt() > 0);
    JsonNode defaultCap = Json.parse(post("/v1/completions", apiKey, "{\"model\":\"" + ECHO + "\",\"prompt\":["
        + "\"a b c d e f g h i j k l m n o p q r s t u v w x y z\"]}").body());
    assertEquals("length", defaultCap.at("/choices/0/finish_reason").asText());
    assertEquals(16, defaultCap.at("/usage/completion_tokens").asInt());
    List<JsonNode> events = events(post("/v1/completions", apiKey, "{\"model\":\"" + ECHO + "\",\"prompt\":\"streamed"
        + "\",\"stream\":true,\"max_tokens\":64}"));
    StringBuilder text = new StringBuilder();
    events.forEach(e -> text.append(e.at("/choices/0/text").asText("")));
    assertTrue(text.toString().endsWith("streamed"), text.toString());
    assertEquals("text_completion", events.getFirst().path("object").asText());
    assertEquals("stop", events.getLast().at("/choices/0/finish_reason").asText());
    assertError(post("/v1/completions", apiKey, "{\"model\":\"" + ECHO + "\",\"prompt\":\"x\",\"suffix\":\"y\"}"), 400,
        "unsupported_parameter", "suffix");
    assertError(post("/v1/completions", apiKey, "{\"model\":\"" + ECHO + "\",\"prompt\":[1,2,3]}"), 400,
        "unsupported_value", "prompt");
  }

  @Test
  void shouldEmbedAsFloatsOrBase64WithTheEmbeddedModel() throws Exception {
    HttpResponse<String> r = post("/v1/embeddings", apiKey, "{\"model\":\"all-minilm-l6-v2\",\"input\":["
        + "\"The cat sleeps on the sofa.\",\"A cat is napping on the couch.\",\"Quarterly revenue grew by 4%.\"]}");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode body = Json.parse(r.body());
    assertEquals("list", body.path("object").asText());
    assertEquals("all-minilm-l6-v2", body.path("model").asText());
    float[][] v = new float[3][];
    for (int i = 0; i < 3; i++) {
      JsonNode e = body.path("data").path(i);
      assertEquals("embedding", e.path("object").asText());
      assertEquals(i, e.path("index").asInt());
      v[i] = new float[e.path("embedding").size()];
      for (int d = 0; d < v[i].length; d++) {
        v[i][d] = e.path("embedding").get(d).floatValue();
      }
    }
    assertEquals(384, v[0].length);
    double similar = Embeddings.cosine(v[0], v[1]);
    double unrelated = Embeddings.cosine(v[0], v[2]);
    assertTrue(similar > unrelated + 0.3, similar + " vs " + unrelated);
    assertTrue(body.at("/usage/prompt_tokens").asInt() > 10);

    JsonNode b64 = Json.parse(post("/v1/embeddings", apiKey, "{\"model\":\"all-minilm-l6-v2\",\"input\":"
        + "\"The cat sleeps on the sofa.\",\"encoding_format\":\"base64\",\"dimensions\":384}").body());
    ByteBuffer raw = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    float[] decoded = new float[384];
    raw.asFloatBuffer().get(decoded);
    assertEquals(1.0, Embeddings.cosine(decoded, v[0]), 1e-5);

    assertError(post("/v1/embeddings", apiKey, "{\"model\":\"all-minilm-l6-v2\",\"input\":\"x\",\"dimensions\":256}"),
        400, "unsupported_value", "dimensions");
    assertError(post("/v1/embeddings", apiKey, "{\"model\":\"" + ECHO + "\",\"input\":\"x\"}"), 400,
        "unsupported_parameter", "model");
    assertError(post("/v1/embeddings", apiKey, "{\"model\":\"nope\",\"input\":\"x\"}"), 404, "model_not_found",
        "model");
    assertError(post("/v1/embeddings", apiKey, "{\"model\":\"all-minilm-l6-v2\",\"input\":[[1,2]]}"), 400,
        "unsupported_value", "input");
    assertError(post("/v1/embeddings", apiKey, "{\"model\":\"all-minilm-l6-v2\",\"input\":\""
        + "word ".repeat(400) + "\"}"), 400, "context_length_exceeded", "input");
  }

  @Test
  void shouldListModelsWithCapabilitiesAndCreated() throws Exception {
    JsonNode list = Json.parse(get("/v1/models").body());
    assertEquals("list", list.path("object").asText());
    JsonNode minilm = list.path("data").path(0);
    assertEquals("all-minilm-l6-v2", minilm.path("id").asText());
    assertEquals("model", minilm.path("object").asText());
    assertEquals("[\"embeddings\"]", minilm.path("capabilities").toString());
    assertTrue(minilm.path("created").asLong() > 1_700_000_000L);
    JsonNode echo = Json.parse(get("/v1/models/" + ECHO).body());
    assertEquals(ECHO, echo.path("id").asText());
    assertTrue(echo.path("capabilities").toString().contains("\"chat\""));
    assertTrue(echo.path("capabilities").toString().contains("\"completions\""));
    assertError(get("/v1/models/gpt-9"), 404, "model_not_found", "model");
  }
}
