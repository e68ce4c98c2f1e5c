package io.hyperinfer.contract.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generation options, tools, images and completions of an InferRequest, and the other new records. */
class InferOptionsTest {
  private static final JsonNode SCHEMA = Json.parse("{\"type\":\"object\"}");

  private static void badRequest(Runnable r) {
    NetException e = assertThrows(NetException.class, r::run);
    assertEquals(NetException.ERR_BAD_REQUEST, e.code());
  }

  private static InferRequest rich() {
    List<ChatMessage> messages = List.of(
        new ChatMessage("user", "look", List.of(new ImageRef("data:image/png;base64,AAAA", "low")), List.of(), null),
        new ChatMessage("assistant", "", List.of(), List.of(new ToolCall(0, "c1", "f", "{\"a\":1}")), null),
        new ChatMessage("tool", "42", List.of(), List.of(), "c1"));
    return new InferRequest("m", messages, null, 64, new Sampling(0.2, 0.9, 7L, 0.5, -0.5, List.of("END")),
        new Tools(List.of(new ToolSpec("f", "does f", SCHEMA)), TextNode.valueOf("auto")),
        new ResponseFormat("json_schema", "out", SCHEMA), Credentials.apiKey("hi_k"), null);
  }

  @Test
  void shouldRoundTripEveryOptionThroughJson() {
    InferRequest r = rich();
    InferRequest back = InferRequest.fromJson(r.toJson());
    assertEquals(r.sampling(), back.sampling());
    assertEquals(r.messages(), back.messages());
    assertEquals(r.tools().specs().getFirst().name(), back.tools().specs().getFirst().name());
    assertEquals("auto", back.tools().choice().asText());
    assertEquals(r.responseFormat(), back.responseFormat());
    assertEquals(Credentials.apiKey("hi_k"), back.credentials());
    InferRequest forwarded = InferRequest.fromJson(r.forProcessor(new Caller("u", "k")).toJson());
    assertEquals(Credentials.NONE, forwarded.credentials());
    assertEquals(r.sampling(), forwarded.sampling());
    assertEquals("m2", r.withModel("m2").model());
    assertEquals(Credentials.session("s"), r.withCredentials(Credentials.session("s")).credentials());
    assertEquals("look", r.lastUserContent());
  }

  @Test
  void shouldCarryARawPromptForCompletions() {
    InferRequest c = InferRequest.completion("m", "Once upon", 16, Sampling.DEFAULT);
    assertTrue(c.isCompletion());
    assertEquals("Once upon", c.lastUserContent());
    assertEquals("Once upon", c.promptText());
    assertEquals(9, c.chars());
    InferRequest back = InferRequest.fromJson(c.toJson());
    assertEquals("Once upon", back.completionPrompt());
    assertTrue(back.messages().isEmpty());
    assertFalse(rich().isCompletion());
    assertTrue(rich().promptText().startsWith("user: look\n"));
    badRequest(() -> InferRequest.fromJson(Json.parse("{\"model\":\"m\",\"completionPrompt\":\"x\",\"messages\":"
        + "[{\"role\":\"user\",\"content\":\"y\"}]}")));
    badRequest(() -> new InferRequest("m", List.of(), "x", 1, null, new Tools(List.of(new ToolSpec("f", null, null)),
        null), null, null, null));
  }

  @Test
  void shouldRefuseBadOptions() {
    badRequest(() -> new Sampling(0.7, 0.0, null, null, null, List.of()));
    badRequest(() -> new Sampling(0.7, 1.5, null, null, null, List.of()));
    badRequest(() -> new Sampling(0.7, null, null, 2.5, null, List.of()));
    badRequest(() -> new Sampling(0.7, null, null, null, -3.0, List.of()));
    badRequest(() -> new Sampling(Double.NaN, null, null, null, null, List.of()));
    badRequest(() -> new Sampling(0.7, null, null, null, null, List.of("a", "b", "c", "d", "e")));
    badRequest(() -> new Sampling(0.7, null, null, null, null, List.of("")));
    badRequest(() -> new ToolSpec("bad name", null, null));
    badRequest(() -> new ToolSpec("f", null, TextNode.valueOf("x")));
    badRequest(() -> new Tools(List.of(), Json.parse("5")));
    badRequest(() -> new Tools(List.of(new ToolSpec("f", "x".repeat(Tools.MAX_JSON_CHARS), null)), null));
    badRequest(() -> new ResponseFormat("yaml", null, null));
    badRequest(() -> new ResponseFormat("json_schema", null, null));
    badRequest(() -> InferRequest.fromJson(Json.parse("{\"model\":\"m\",\"prompt\":\"x\",\"stop\":[1]}")));
    badRequest(() -> InferRequest.fromJson(Json.parse("{\"model\":\"m\",\"prompt\":\"x\",\"seed\":\"s\"}")));
    badRequest(() -> InferRequest.fromJson(Json.parse("{\"model\":\"m\",\"prompt\":\"x\",\"responseFormat\":5}")));
  }

  @Test
  void shouldKnowWhatSamplingAsksFor() {
    Sampling neutral = new Sampling(0.7, 1.0, null, 0.0, 0.0, List.of());
    assertFalse(neutral.asksTopP());
    assertFalse(neutral.asksPenalties());
    Sampling asking = new Sampling(0.7, 0.5, null, 0.0, 0.1, List.of("b", "a"));
    assertTrue(asking.asksTopP() && asking.asksPenalties());
    assertEquals(2, asking.stopIndex("xxabxb"));
    assertEquals(-1, asking.stopIndex("xyz"));
  }

  @Test
  void shouldRefuseMalformedTurns() {
    ImageRef image = new ImageRef("https://example.com/a.png", null);
    ToolCall call = new ToolCall(0, "c", "f", "{}");
    badRequest(() -> new ChatMessage("assistant", "x", List.of(image), List.of(), null));
    badRequest(() -> new ChatMessage("user", "x", List.of(), List.of(call), null));
    badRequest(() -> new ChatMessage("tool", "x", List.of(), List.of(), null));
    badRequest(() -> new ChatMessage("robot", "x"));
    badRequest(() -> new ChatMessage("user", null));
    badRequest(() -> new ChatMessage("user", "x", java.util.Collections.nCopies(17, image), List.of(), null));
    badRequest(() -> new ChatMessage("assistant", "", List.of(), List.of(new ToolCall(0, "c", null, "")), null));
    badRequest(() -> new ToolCall(-1, null, null, null));
    badRequest(() -> new ToolCall(0, null, null, "x".repeat(ToolCall.MAX_ARGUMENTS + 1)));
    badRequest(() -> new ImageRef("ftp://x", null));
    badRequest(() -> new ImageRef(" ", null));
    badRequest(() -> new ImageRef("https://x", null).base64());
    badRequest(() -> new ImageRef("data:image/png;base64,@@@", null).base64());
    badRequest(() -> ChatMessage.fromJson(Json.parse("{\"role\":\"user\"}")));
    assertEquals("AAAA", new ImageRef("data:image/png;base64,AAAA", null).base64());
    ChatMessage onlyCalls = ChatMessage.fromJson(Json.parse("{\"role\":\"assistant\",\"content\":null,"
        + "\"toolCalls\":[{\"id\":\"c\",\"name\":\"f\",\"arguments\":\"{}\"}]}"));
    assertEquals("", onlyCalls.content());
    assertEquals("f", onlyCalls.toolCalls().getFirst().name());
    String big = "data:image/png;base64," + "A".repeat(ImageRef.MAX_URL_CHARS - 30);
    ChatMessage heavy = new ChatMessage("user", "x", List.of(new ImageRef(big, null), new ImageRef(big, null)),
        List.of(), null);
    badRequest(() -> new InferRequest("m", List.of(heavy), 1, 0));
    assertEquals(ChatMessage.assistant("a"), new ChatMessage("assistant", "a"));
    assertEquals(ChatMessage.system("s").role(), "system");
  }

  @Test
  void shouldCarryToolCallPiecesAsChunks() {
    InferChunk piece = InferChunk.of(new ToolCall(1, "c", "f", "{\"a\""));
    InferChunk back = InferChunk.fromJson(piece.toJson());
    assertEquals(piece, back);
    assertNull(back.text());
    InferChunk later = InferChunk.fromJson(Json.parse("{\"toolCall\":{\"index\":1,\"arguments\":\":1}\"}}"));
    assertNull(later.toolCall().id());
    badRequest(() -> new InferChunk(null, null));
    badRequest(() -> new InferChunk("x", new ToolCall(0, null, null, "")));
    assertEquals("tool_calls", InferEnd.fromJson(InferEnd.fromProcessor("m", "tool_calls", new Usage(1, 2),
        Timings.processor(0, 1, 2)).toJson()).finishReason());
  }

  @Test
  void shouldListFeaturesAndCreationDates() {
    ServedModel m = new ServedModel("m", "minilm", List.of("embeddings"), 1_700_000_000L);
    assertEquals(m, ServedModel.fromJson(m.toJson()));
    assertEquals(List.of(), new ServedModel("m", "e").features());
    badRequest(() -> new ServedModel("m", "e", List.of(), -1));
    ModelsReply reply = new ModelsReply(List.of(new ModelsReply.Model("m", 2, List.of("chat", "stop"), 5)));
    assertEquals(reply, ModelsReply.fromJson(reply.toJson()));
    assertEquals(0, new ModelsReply.Model("m", 1).created());
    badRequest(() -> ServedModel.fromJson(Json.parse("{\"id\":\"m\",\"engine\":\"e\",\"features\":[1]}")));
  }

  @Test
  void shouldRoundTripEmbeddingRequestsAndReplies() {
    EmbedRequest r = new EmbedRequest("minilm", List.of("a cat", "a dog"), Credentials.apiKey("hi_k"), null);
    EmbedRequest back = EmbedRequest.fromJson(r.toJson());
    assertEquals(r, back);
    assertEquals(10, r.chars());
    EmbedRequest forwarded = EmbedRequest.fromJson(r.forProcessor(new Caller("u", null)).toJson());
    assertEquals(Credentials.NONE, forwarded.credentials());
    assertEquals("u", forwarded.caller().userId());
    badRequest(() -> new EmbedRequest("m", List.of()));
    badRequest(() -> new EmbedRequest("m", List.of("")));
    badRequest(() -> new EmbedRequest(" ", List.of("a")));
    badRequest(() -> new EmbedRequest("m", java.util.Collections.nCopies(EmbedRequest.MAX_INPUTS + 1, "a")));
    badRequest(() -> new EmbedRequest("m", List.of("x".repeat(EmbedRequest.MAX_TOTAL_CHARS + 1))));
    badRequest(() -> EmbedRequest.fromJson(Json.parse("{\"model\":\"m\",\"input\":\"a\"}")));
    badRequest(() -> EmbedRequest.fromJson(Json.parse("{\"model\":\"m\",\"input\":[1]}")));

    float[] v = {0.5f, -1.25f, 3e-8f};
    EmbedReply reply = EmbedReply.fromProcessor("minilm", List.of(v, new float[] {1, 2, 3}), 9,
        Timings.processor(1, -1, 2));
    EmbedReply relayed = EmbedReply.fromJson(reply.relayed("ab12", 2, reply.timings()).toJson());
    assertEquals(3, relayed.dimensions());
    assertEquals(-1.25f, relayed.vectors().getFirst()[1]);
    assertEquals(3e-8f, relayed.vectors().getFirst()[2]);
    assertEquals(9, relayed.usage().promptTokens());
    assertEquals("ab12", relayed.processor());
    assertEquals(2, relayed.attempts());
    assertEquals(EmbedReply.encode(v), reply.toJson().path("vectors").get(0).asText());
    badRequest(() -> EmbedReply.fromProcessor("m", List.of(v, new float[2]), 1, Timings.processor(0, -1, 0)));
    badRequest(() -> EmbedReply.fromProcessor("m", List.of(), 1, Timings.processor(0, -1, 0)));
    badRequest(() -> EmbedReply.fromProcessor(" ", List.of(v), 1, Timings.processor(0, -1, 0)));
    ObjectNode broken = reply.toJson();
    broken.putArray("vectors").add("@@@");
    badRequest(() -> EmbedReply.fromJson(broken));
    broken.putArray("vectors").add("AAA=");
    badRequest(() -> EmbedReply.fromJson(broken));
  }
}
