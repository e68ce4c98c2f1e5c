package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.worker.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The official OpenAI JS SDK (pinned in interop/package.json) against {@code hyperinfer serve-openai}: chat (whole,
 * streamed, and through the SDK's accumulating stream helper), legacy completions, embeddings (the SDK's default
 * base64 and floats), models, and unsupported options failing as the SDK's own typed errors.
 */
@Order(2) // app/pom.xml: the run order of the two test threads
@Timeout(300)
@ExtendWith(SharedUp.class)
class OpenAiSdkIT {
  private static ServingOpenAi serve;
  private static final Map<String, JsonNode> results = new HashMap<>();

  @BeforeAll
  static void runSdk(RunningUp up) throws Exception {
    JsPeers.require();
    // its own data folder: without one, serve-openai would keep its credentials in the user's real folders
    java.util.List<String> join = new java.util.ArrayList<>(up.join());
    join.addAll(java.util.List.of("--data-dir", up.dir.resolve("serve-openai").toString()));
    serve = new ServingOpenAi(join.toArray(String[]::new));
    String key = serve.apiKey("sdk@example.com");
    try (JsProcess js = JsPeers.start(ProjectPaths.root().resolve("app/src/test/js/openai-sdk.js"),
        serve.baseUrl + "/v1", key)) {
      while (true) {
        String line = js.awaitLine(l -> l.startsWith("RESULT ") || l.equals("DONE"), Duration.ofSeconds(90));
        if (line.equals("DONE")) {
          break;
        }
        String[] parts = line.split(" ", 3);
        results.put(parts[1], Json.parse(parts[2]));
      }
      assertEquals(0, js.awaitExit(Duration.ofSeconds(30)), js.stderr());
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (serve != null) {
      serve.close();
    }
  }

  @Test
  void shouldAnswerChatCompletionsThroughTheSdk() {
    JsonNode chat = results.get("chat");
    assertEquals("chat.completion", chat.path("object").asText());
    assertTrue(chat.at("/choices/0/message/content").asText().endsWith("hello sdk"));
    assertEquals("assistant", chat.at("/choices/0/message/role").asText());
    assertEquals("stop", chat.at("/choices/0/finish_reason").asText());
    assertTrue(chat.at("/usage/total_tokens").asInt() > 0);
  }

  @Test
  void shouldStreamChatThroughTheSdkWithRoleFirstAndUsageLast() {
    List<JsonNode> chunks = list(results.get("chatStream"));
    assertEquals("assistant", chunks.getFirst().at("/choices/0/delta/role").asText());
    StringBuilder text = new StringBuilder();
    chunks.forEach(c -> text.append(c.at("/choices/0/delta/content").asText("")));
    assertTrue(text.toString().endsWith("stream through the sdk"), text.toString());
    JsonNode last = chunks.getLast();
    assertEquals(0, last.path("choices").size());
    assertTrue(last.at("/usage/completion_tokens").asInt() > 0);
    JsonNode helper = results.get("chatStreamHelper");
    assertTrue(helper.at("/choices/0/message/content").asText().endsWith("accumulated by the helper"),
        helper.toString());
    assertEquals("assistant", helper.at("/choices/0/message/role").asText());
  }

  @Test
  void shouldServeLegacyCompletionsThroughTheSdk() {
    JsonNode whole = results.get("completion");
    assertEquals("text_completion", whole.path("object").asText());
    assertTrue(whole.at("/choices/0/text").asText().endsWith("Once upon"));
    StringBuilder text = new StringBuilder();
    list(results.get("completionStream")).forEach(c -> text.append(c.at("/choices/0/text").asText("")));
    assertTrue(text.toString().endsWith("a streamed prompt"), text.toString());
  }

  @Test
  void shouldEmbedThroughTheSdkInBothEncodings() {
    JsonNode e = results.get("embeddings");
    assertEquals("all-minilm-l6-v2", e.path("model").asText());
    assertEquals(3, e.path("count").asInt());
    assertEquals(384, e.path("dims").asInt());
    assertTrue(e.path("similar").asDouble() > e.path("unrelated").asDouble() + 0.3, e.toString());
    assertEquals(1.0, e.path("base64VsFloat").asDouble(), 1e-5);
    assertTrue(e.at("/usage/prompt_tokens").asInt() > 10);
  }

  @Test
  void shouldListAndRetrieveModelsThroughTheSdk() {
    List<String> ids = list(results.get("models")).stream().map(m -> m.path("id").asText()).toList();
    assertEquals(List.of("all-minilm-l6-v2", "builtin-echo"), ids);
    JsonNode model = results.get("model");
    assertEquals("builtin-echo", model.path("id").asText());
    assertTrue(model.path("created").asLong() > 1_700_000_000L);
    assertTrue(model.path("capabilities").toString().contains("chat"));
  }

  @Test
  void shouldFailUnsupportedOptionsAsTheSdksTypedErrors() {
    assertSdkError("errTopP", "BadRequestError", 400, "unsupported_parameter", "top_p");
    assertSdkError("errTools", "BadRequestError", 400, "unsupported_parameter", "tools");
    assertSdkError("errImage", "BadRequestError", 400, "unsupported_parameter", "messages");
    assertSdkError("errN", "BadRequestError", 400, "unsupported_value", "n");
    assertSdkError("errModel", "NotFoundError", 404, "model_not_found", "model");
    assertSdkError("errKey", "AuthenticationError", 401, "invalid_api_key", null);
    assertSdkError("errRoute", "NotFoundError", 404, "unknown_url", null);
  }

  private static void assertSdkError(String name, String className, int status, String code, String param) {
    JsonNode e = results.get(name);
    assertTrue(e.path("thrown").asBoolean(), name + ": " + e);
    assertEquals(className, e.path("className").asText(), name + ": " + e);
    assertEquals(status, e.path("status").asInt(), name + ": " + e);
    assertEquals(code, e.path("code").asText(), name + ": " + e);
    assertFalse(e.path("type").asText().isBlank(), name + ": " + e);
    if (param != null) {
      assertEquals(param, e.path("param").asText(), name + ": " + e);
    }
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
