package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.EmbedRequest;
import io.hyperinfer.contract.infer.ImageRef;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.contract.infer.ToolSpec;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.processor.engine.FakeEngineServer.Reply;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class OpenAiEngineTest {
  private static final String ROLE = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}";
  private static final String HEL = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}";
  private static final String LO = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":null}]}";
  private static final String STOP = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}";
  private static final String USAGE = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
      + "\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";

  private FakeEngineServer server;
  private final List<String> tokens = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = new FakeEngineServer();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OpenAiEngine engine(String apiKey, Duration idle) {
    return new OpenAiEngine(new EngineSettings(URI.create(server.baseUrl()), List.of(), Duration.ofSeconds(2),
        Duration.ofSeconds(5), idle, apiKey, "chat"));
  }

  private static InferRequest request() {
    return new InferRequest("m", List.of(new ChatMessage("system", "be brief"), ChatMessage.user("hi")), 8, 0);
  }

  @Test
  void shouldStreamDeltasAndUseServerUsageWhenServerSendsSse() {
    server.on("/v1/chat/completions", Reply.sse(ROLE, HEL, LO, STOP, USAGE, "[DONE]"));
    Completion c = engine("sk-test", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal());
    assertEquals(List.of("Hel", "lo"), tokens);
    assertEquals(9, c.promptTokens());
    assertEquals(2, c.completionTokens());
    assertEquals(Completion.STOP, c.finishReason());
    assertEquals("Bearer sk-test", server.authHeaders.getFirst());
    assertTrue(server.requestBodies.getFirst().contains("\"include_usage\":true"));
  }

  @Test
  void shouldCountTokensItselfWhenServerSendsNoUsage() {
    server.on("/v1/chat/completions", new Reply(200, "text/event-stream", List.of(": keep-alive", "event: x",
        "data: " + HEL, "", "data: " + LO.replace("null", "\"length\""), "", "data: [DONE]"), -1));
    Completion c = engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal());
    assertEquals(TokenCounter.count(request()), c.promptTokens());
    assertEquals(2, c.completionTokens());
    assertEquals(Completion.LENGTH, c.finishReason());
    assertEquals("", server.authHeaders.getFirst());
  }

  @Test
  void shouldListModelsWhenServerAnswers() {
    server.on("/v1/models", Reply.json(200, "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-x\",\"object\":\"model\","
        + "\"owned_by\":\"me\"}]}"));
    assertEquals(List.of("gpt-x:openai"), EngineTesting.names(engine("", Duration.ofSeconds(5)).models()));
  }

  @Test
  void shouldFailWithServerMessageWhenUnauthorized() {
    server.on("/v1/chat/completions", Reply.json(401, "{\"error\":{\"message\":\"Incorrect API key provided\","
        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}"));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("bad", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.ENGINE_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("Incorrect API key provided"));
  }

  @Test
  void shouldMapStatusCodesToStableCodes() {
    int[] statuses = {400, 404, 429, 500, 504};
    ProcessorException.Code[] codes = {ProcessorException.Code.BAD_REQUEST, ProcessorException.Code.MODEL_NOT_FOUND,
        ProcessorException.Code.BUSY, ProcessorException.Code.ENGINE_FAILED, ProcessorException.Code.TIMEOUT};
    for (int i = 0; i < statuses.length; i++) {
      server.on("/v1/chat/completions", Reply.json(statuses[i], "not json"));
      ProcessorException e = assertThrows(ProcessorException.class,
          () -> engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal()));
      assertEquals(codes[i], e.code(), "status " + statuses[i]);
    }
  }

  @Test
  void shouldFailWhenErrorEventArrivesMidStream() {
    server.on("/v1/chat/completions", Reply.sse(HEL, "{\"error\":{\"message\":\"overloaded\"}}"));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal()));
    assertTrue(e.getMessage().contains("overloaded"));
  }

  @Test
  void shouldFailWhenStreamEndsWithoutDone() {
    server.on("/v1/chat/completions", Reply.sse(HEL));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, assertThrows(ProcessorException.class,
        () -> engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal())).code());
  }

  @Test
  void shouldFailWhenEventIsMalformed() {
    server.on("/v1/chat/completions", Reply.sse("{oops"));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, assertThrows(ProcessorException.class,
        () -> engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal())).code());
  }

  @Test
  void shouldTimeOutWhenStreamStalls() {
    server.on("/v1/chat/completions", Reply.sse(HEL, LO, "[DONE]").stallingAfter(1));
    assertEquals(ProcessorException.Code.TIMEOUT, assertThrows(ProcessorException.class,
        () -> engine("", Duration.ofMillis(150)).stream(request(), tokens::add, new CancelSignal())).code());
  }

  @Test
  void shouldStopReadingWhenCancelledBeforeAnswer() {
    server.on("/v1/chat/completions", Reply.sse(HEL, "[DONE]").stallingAfter(0));
    CancelSignal cancel = new CancelSignal();
    cancel.cancel();
    Completion c = engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, cancel);
    assertEquals(Completion.CANCELLED, c.finishReason());
    assertEquals(List.of(), tokens);
  }

  @Test
  void shouldReturnCancelledWhenCancelledWhileStalled() {
    server.on("/v1/chat/completions", Reply.sse(HEL, LO, "[DONE]").stallingAfter(1));
    CancelSignal cancel = new CancelSignal();
    Completion c = engine("", Duration.ofSeconds(5)).stream(request(), t -> {
      tokens.add(t);
      Thread.ofVirtual().start(cancel::cancel);
    }, cancel);
    assertEquals(Completion.CANCELLED, c.finishReason());
    assertEquals("openai", engine("", Duration.ofSeconds(1)).kind());
  }

  @Test
  void shouldAssembleStreamedToolCallDeltasWhenModelCallsATool() throws Exception {
    String head = "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\",\"choices\":[{"
        + "\"index\":0,\"delta\":";
    server.on("/v1/chat/completions", Reply.sse(
        head + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"call_abc\","
            + "\"type\":\"function\",\"function\":{\"name\":\"weather\",\"arguments\":\"\"}}]},\"logprobs\":null,"
            + "\"finish_reason\":null}]}",
        head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\"}}]},\"finish_reason\":null}]}",
        head + "{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\":\\\"Paris\\\"}\"}}]},"
            + "\"finish_reason\":null}]}",
        head + "{},\"logprobs\":null,\"finish_reason\":\"tool_calls\"}]}", USAGE, "[DONE]"));
    List<ToolCall> pieces = new CopyOnWriteArrayList<>();
    var schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"type\":\"object\"}");
    InferRequest r = EngineTesting.request("m", List.of(ChatMessage.user("weather?")), null, 16,
        new Sampling(0, 0.5, 3L, 1.0, -1.0, List.of("x", "y")), List.of(new ToolSpec("weather", "", schema)),
        com.fasterxml.jackson.databind.node.TextNode.valueOf("required"), new ResponseFormat("json_object", null, null));
    Completion c = engine("", Duration.ofSeconds(5)).stream(r, new TokenSink() {
      @Override
      public void token(String text) {
        tokens.add(text);
      }

      @Override
      public void toolCall(ToolCall piece) {
        pieces.add(piece);
      }
    }, new CancelSignal());
    assertEquals(Completion.TOOL_CALLS, c.finishReason());
    assertEquals(List.of(), tokens);
    assertEquals("call_abc", pieces.getFirst().id());
    assertEquals("weather", pieces.getFirst().name());
    assertEquals("{\"city\":\"Paris\"}", pieces.stream().map(ToolCall::arguments).reduce("", String::concat));
    var body = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.requestBodies.getFirst());
    assertEquals(0.5, body.path("top_p").asDouble());
    assertEquals(3, body.path("seed").asInt());
    assertEquals(1.0, body.path("presence_penalty").asDouble());
    assertEquals(-1.0, body.path("frequency_penalty").asDouble());
    assertEquals("y", body.path("stop").path(1).asText());
    assertEquals("required", body.path("tool_choice").asText());
    assertEquals("json_object", body.path("response_format").path("type").asText());
    assertEquals("weather", body.path("tools").path(0).path("function").path("name").asText());
  }

  @Test
  void shouldForwardImagePartsAndToolHistoryInOpenAiShape() throws Exception {
    server.on("/v1/chat/completions", Reply.sse(HEL, STOP, "[DONE]"));
    InferRequest r = new InferRequest("m", List.of(
        new ChatMessage("user", "what is this?", List.of(new ImageRef("https://example.com/a.png", "high")), List.of(),
            null),
        new ChatMessage("assistant", "", List.of(), List.of(new ToolCall(0, "call_9", "look", "{}")), null),
        new ChatMessage("tool", "a cat", List.of(), List.of(), "call_9")), 8, 0);
    engine("", Duration.ofSeconds(5)).stream(r, tokens::add, new CancelSignal());
    var messages = new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.requestBodies.getFirst())
        .path("messages");
    assertEquals("https://example.com/a.png", messages.path(0).path("content").path(1).path("image_url").path("url")
        .asText());
    assertEquals("high", messages.path(0).path("content").path(1).path("image_url").path("detail").asText());
    assertEquals("call_9", messages.path(1).path("tool_calls").path(0).path("id").asText());
    assertEquals("call_9", messages.path(2).path("tool_call_id").asText());
  }

  @Test
  void shouldStreamLegacyCompletionsWhenRequestIsARawPrompt() throws Exception {
    server.on("/v1/completions", Reply.sse("{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,"
        + "\"choices\":[{\"text\":\" there\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}],\"model\":\"m\"}",
        "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"choices\":[{\"text\":\"\",\"index\":0,"
            + "\"logprobs\":null,\"finish_reason\":\"length\"}],\"model\":\"m\"}", "[DONE]"));
    Completion c = engine("", Duration.ofSeconds(5)).stream(InferRequest.completion("m", "hi", 1, Sampling.DEFAULT),
        tokens::add, new CancelSignal());
    assertEquals(List.of(" there"), tokens);
    assertEquals(Completion.LENGTH, c.finishReason());
    assertEquals("hi", new com.fasterxml.jackson.databind.ObjectMapper().readTree(server.requestBodies.getFirst())
        .path("prompt").asText());
  }

  @Test
  void shouldKeepServersErrorCodesWhenTheyNameUnsupportedOptionsOrContextOverflow() {
    server.on("/v1/chat/completions", Reply.json(400, "{\"error\":{\"message\":\"This model's maximum context "
        + "length is 8192 tokens.\",\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":"
        + "\"context_length_exceeded\"}}"));
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.CONTEXT_LENGTH_EXCEEDED, e.code());
    server.on("/v1/chat/completions", Reply.json(400, "{\"error\":{\"message\":\"Unsupported parameter: "
        + "'max_tokens'\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\",\"code\":"
        + "\"unsupported_parameter\"}}"));
    e = assertThrows(ProcessorException.class,
        () -> engine("", Duration.ofSeconds(5)).stream(request(), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.UNSUPPORTED, e.code());
    assertEquals("max_tokens", e.param());
  }

  @Test
  void shouldEmbedInIndexOrderWhenServerAnswersEmbeddings() {
    server.on("/v1/embeddings", Reply.json(200, "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\","
        + "\"index\":1,\"embedding\":[0.0,1.0]},{\"object\":\"embedding\",\"index\":0,\"embedding\":[1.0,0.0]}],"
        + "\"model\":\"text-embedding-3-small\",\"usage\":{\"prompt_tokens\":5,\"total_tokens\":5}}"));
    Embeddings e = engine("sk-x", Duration.ofSeconds(5)).embed(new EmbedRequest("text-embedding-3-small",
        List.of("first", "second")), new CancelSignal());
    assertEquals(1.0f, e.vectors().get(0)[0]);
    assertEquals(1.0f, e.vectors().get(1)[1]);
    assertEquals(5, e.promptTokens());
    assertTrue(server.requestBodies.getFirst().contains("\"encoding_format\":\"float\""));
    assertEquals("Bearer sk-x", server.authHeaders.getFirst());
    server.on("/v1/embeddings", Reply.json(200, "{\"data\":[{\"index\":0,\"embedding\":[1.0]}]}"));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, assertThrows(ProcessorException.class,
        () -> engine("", Duration.ofSeconds(5)).embed(new EmbedRequest("m", List.of("a", "b")),
            new CancelSignal())).code());
  }

  @Test
  void shouldFailWhenConnectionBreaksMidStream() throws Exception {
    String url = FakeEngineServer.brokenServer("data: " + HEL + "\n\n");
    OpenAiEngine e = new OpenAiEngine(EngineSettings.of(url));
    ProcessorException ex = assertThrows(ProcessorException.class,
        () -> e.stream(request(), tokens::add, new CancelSignal()));
    assertEquals(ProcessorException.Code.ENGINE_FAILED, ex.code());
    assertEquals(List.of("Hel"), tokens);
  }
}
