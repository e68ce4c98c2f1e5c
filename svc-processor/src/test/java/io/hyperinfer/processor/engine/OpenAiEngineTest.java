package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
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
    assertEquals(List.of(new ModelInfo("gpt-x", "openai")), engine("", Duration.ofSeconds(5)).models());
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
}
