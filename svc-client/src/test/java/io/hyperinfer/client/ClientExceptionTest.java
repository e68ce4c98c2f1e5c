package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.contract.infer.InferEnd;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import org.junit.jupiter.api.Test;

class ClientExceptionTest {
  @Test
  void shouldExplainEveryKnownCodeInPlainWordsWithTheCode() {
    String[] codes = {"ERR_RATE_LIMITED", "ERR_QUOTA_EXCEEDED", "ERR_INVALID_CREDENTIALS", "ERR_USER_EXISTS",
        "ERR_KEY_REVOKED", "ERR_SESSION_EXPIRED", "ERR_NO_PROCESSOR", "ERR_MODEL_NOT_FOUND", "ERR_NO_GATEWAY",
        "ERR_AUTH_UNAVAILABLE",
        "ERR_TIMEOUT", "ERR_SOMETHING_NEW"};
    for (String code : codes) {
      String text = new ClientException(code, "raw message", null).plainMessage();
      assertTrue(text.endsWith("[" + code + "]"), text);
      assertTrue(text.length() > code.length() + 4, text);
    }
    assertEquals("raw message [ERR_SOMETHING_NEW]",
        new ClientException("ERR_SOMETHING_NEW", "raw message", null).plainMessage());
  }

  @Test
  void shouldRoundRetryAfterUpToWholeSecondsWhenRateLimited() {
    ClientException e = new ClientException("ERR_RATE_LIMITED", "m",
        Json.object().put("limit", "tokensPerMinute").put("retryAfterMs", 1200));
    assertEquals(1200, e.retryAfterMs());
    assertTrue(e.plainMessage().contains("(tokensPerMinute). Try again in 2 s."), e.plainMessage());
    assertEquals(-1, new ClientException("ERR_X", "m", null).retryAfterMs());
    assertTrue(e.toString().contains("ERR_RATE_LIMITED"));
  }

  @Test
  void shouldKeepCodeAndDetailsWhenConvertedFromRpcError() {
    ClientException e = ClientWorker.toClient(new NetException("ERR_BUSY", "full", Json.object().put("a", 1)));
    assertEquals("ERR_BUSY", e.code());
    assertEquals(1, e.details().path("a").asInt());
    assertEquals("ERR_INTERNAL", ClientWorker.toClient(new IllegalStateException("x")).code());
    assertEquals(e, ClientWorker.toClient(e));
  }

  @Test
  void shouldReadAnswerFromEndFrame() {
    var end = Json.object().put("model", "m").put("finishReason", "length").put("processor", "ab12")
        .put("attempts", 2);
    end.putObject("usage").put("promptTokens", 3).put("completionTokens", 4);
    end.putObject("timings").put("totalMs", 5.5);
    Answer a = Answer.of("text", java.util.List.of(), InferEnd.fromJson(end));
    assertEquals(7, a.totalTokens());
    assertEquals("length", a.finishReason());
    assertEquals(2, a.attempts());
    assertEquals(5.5, a.timings().path("totalMs").asDouble());
    Prompt p = new Prompt("m", java.util.List.of(Message.system("s"), Message.user("u"), Message.assistant("a")), 5,
        0.1);
    assertEquals(3, p.messages().size());
    assertEquals(9, p.withMaxTokens(9).maxTokens());
    InferRequest r = p.toRequest(Credentials.apiKey("hi_key"));
    assertEquals("hi_key", r.toJson().path("apiKey").asText());
    assertEquals("assistant", r.messages().get(2).role());
  }

  @Test
  void shouldFailTheCallNotThrowWhenPromptIsInvalid() throws Exception {
    InferCall call = FailoverStream.failed(ClientWorker.toClient(NetException.badRequest("temperature must be 0..2")));
    call.cancel();
    var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
        () -> call.done().get());
    assertEquals("ERR_BAD_REQUEST", ((ClientException) e.getCause()).code());
  }
}
