package io.hyperinfer.client.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.Message;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.contract.infer.ImageRef;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.worker.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** OpenAI request bodies to prompts, and answers back to OpenAI bodies, without a network. */
class ChatRequestsTest {
  private static OpenAiError refused(String body) {
    return assertThrows(OpenAiError.class, () -> ChatRequests.parse(Json.parse(body)));
  }

  @Test
  void shouldTurnToolsToolChoiceSchemaAndHistoryIntoThePrompt() {
    GenerationCall call = ChatRequests.parse(Json.parse("{\"model\":\"m\",\"messages\":["
        + "{\"role\":\"developer\",\"content\":[{\"type\":\"text\",\"text\":\"a\"},{\"type\":\"text\",\"text\":\"b\"}]},"
        + "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x/y.png\","
        + "\"detail\":\"low\"}}]},"
        + "{\"role\":\"assistant\",\"content\":null,\"refusal\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"42\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"description\":\"d\",\"parameters\":{},"
        + "\"strict\":true}}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"f\"}},"
        + "\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"n\",\"schema\":{\"type\":\"object\"}}},"
        + "\"parallel_tool_calls\":true,\"modalities\":[\"text\"],\"store\":false,\"metadata\":{\"k\":\"v\"},"
        + "\"max_completion_tokens\":12,\"stream\":true,\"stream_options\":{\"include_usage\":true}}"));
    Prompt p = call.prompt();
    assertTrue(call.stream() && call.includeUsage());
    assertEquals(12, p.maxTokens());
    List<Message> m = p.messages();
    assertEquals("system", m.get(0).role());
    assertEquals("ab", m.get(0).content());
    assertEquals(new ImageRef("https://x/y.png", "low"), m.get(1).images().getFirst());
    assertEquals(new ToolCall(0, "c1", "f", "{}"), m.get(2).toolCalls().getFirst());
    assertEquals("c1", m.get(3).toolCallId());
    assertEquals("f", p.options().tools().getFirst().name());
    assertEquals("f", p.options().toolChoice().at("/function/name").asText());
    assertEquals("json_schema", p.options().responseFormat().type());
    assertEquals("object", p.options().responseFormat().schema().path("type").asText());
    assertNull(ChatRequests.parse(Json.parse("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],"
        + "\"response_format\":{\"type\":\"text\"}}")).prompt().options().responseFormat());
  }

  @Test
  void shouldNameTheFieldItRefuses() {
    String ok = "\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]";
    assertEquals("tool_choice", refused("{" + ok + ",\"tool_choice\":\"auto\"}").param());
    assertEquals("tool_choice", refused("{" + ok + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}],"
        + "\"tool_choice\":\"sometimes\"}").param());
    assertEquals("tools", refused("{" + ok + ",\"tools\":[{\"type\":\"code_interpreter\"}]}").param());
    assertEquals("tools", refused("{" + ok + ",\"tools\":{}}").param());
    assertEquals("response_format.type", refused("{" + ok + ",\"response_format\":{\"type\":\"yaml\"}}").param());
    assertEquals("response_format.json_schema.schema", refused("{" + ok
        + ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{}}}").param());
    assertEquals("messages[0].role", refused("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"x\"}]}")
        .param());
    assertEquals("messages[0].tool_call_id", refused("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\","
        + "\"content\":\"x\"}]}").param());
    assertEquals("messages[0].content", refused("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}").param());
    assertEquals("messages[0].content", refused("{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":["
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://x\"}}]}]}").param());
    assertEquals("messages[0].tool_calls", refused("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\","
        + "\"tool_calls\":[{\"type\":\"function\",\"function\":{}}]}]}").param());
    assertEquals("stop", refused("{" + ok + ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}").param());
    assertEquals("stop", refused("{" + ok + ",\"stop\":\"\"}").param());
    assertEquals("model", refused("{\"model\":\"\",\"messages\":[]}").param());
    assertEquals("seed", refused("{" + ok + ",\"seed\":1.5}").param());
    assertEquals("stream", refused("{" + ok + ",\"stream\":\"yes\"}").param());
    for (String key : List.of("audio", "prediction", "reasoning_effort", "web_search_options", "functions",
        "function_call", "top_logprobs")) {
      OpenAiError e = refused("{" + ok + ",\"" + key + "\":{}}");
      assertEquals(key, e.param());
      assertEquals("unsupported_parameter", e.code());
    }
    assertEquals("modalities", refused("{" + ok + ",\"modalities\":[\"text\",\"audio\"]}").param());
    assertEquals("parallel_tool_calls", refused("{" + ok + ",\"parallel_tool_calls\":false}").param());
  }

  @Test
  void shouldRenderToolCallsWholeAndAsStreamedPieces() {
    Answer a = new Answer("", List.of(new ToolCall(0, "call_1", "f", "{\"x\":1}")), "tool_calls", 3, 4,
        Json.object(), "p", 1);
    Responses chat = Responses.chat("m");
    ObjectNode whole = chat.whole(a);
    assertTrue(whole.at("/choices/0/message/content").isNull());
    assertEquals("call_1", whole.at("/choices/0/message/tool_calls/0/id").asText());
    assertFalse(whole.at("/choices/0/message/tool_calls/0").has("index"));
    assertEquals("tool_calls", whole.at("/choices/0/finish_reason").asText());
    assertEquals(7, whole.at("/usage/total_tokens").asInt());
    ObjectNode first = chat.toolCallChunk(new ToolCall(0, "call_1", "f", ""), true);
    assertEquals("f", first.at("/choices/0/delta/tool_calls/0/function/name").asText());
    ObjectNode later = chat.toolCallChunk(new ToolCall(0, null, null, "{\"x\""), false);
    assertFalse(later.at("/choices/0/delta/tool_calls/0").has("id"));
    assertEquals("{\"x\"", later.at("/choices/0/delta/tool_calls/0/function/arguments").asText());
    assertEquals("stop", chat.finishChunk("cancelled").at("/choices/0/finish_reason").asText());
    ObjectNode text = Responses.completion("m").whole(new Answer("hi", List.of(), "length", 1, 1, Json.object(),
        "p", 1));
    assertEquals("hi", text.at("/choices/0/text").asText());
    assertEquals("length", text.at("/choices/0/finish_reason").asText());
  }
}
