package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class BuiltinEchoEngineTest {
  private static InferRequest request(String text, int max) {
    return new InferRequest(BuiltinEchoEngine.MODEL_ID, List.of(ChatMessage.user(text)), max, 0.7);
  }

  @Test
  void shouldSayWhatItIsAndEchoWhenAsked() {
    List<String> out = new ArrayList<>();
    Completion c = new BuiltinEchoEngine().stream(request("Hello there, world", 256), out::add, new CancelSignal());
    String text = String.join("", out);
    assertTrue(text.startsWith("[builtin-echo: not a language model"), text);
    assertTrue(text.endsWith("Hello there, world"), text);
    assertEquals(out.size(), c.completionTokens());
    assertEquals(Completion.STOP, c.finishReason());
    assertEquals(TokenCounter.count(request("Hello there, world", 1)), c.promptTokens());
  }

  @Test
  void shouldBeDeterministicWhenCalledTwice() {
    List<String> a = new ArrayList<>();
    List<String> b = new ArrayList<>();
    new BuiltinEchoEngine().stream(request("same input", 64), a::add, new CancelSignal());
    new BuiltinEchoEngine().stream(request("same input", 64), b::add, new CancelSignal());
    assertEquals(a, b);
  }

  @Test
  void shouldStopAtMaxTokensWhenAnswerIsLonger() {
    List<String> out = new ArrayList<>();
    Completion c = new BuiltinEchoEngine().stream(request("x", 3), out::add, new CancelSignal());
    assertEquals(3, out.size());
    assertEquals(Completion.LENGTH, c.finishReason());
  }

  @Test
  @Timeout(5)
  void shouldStopWhenCancelledDuringDelay() {
    BuiltinEchoEngine slow = new BuiltinEchoEngine("slow-echo", Duration.ofSeconds(30));
    CancelSignal cancel = new CancelSignal();
    Thread.ofVirtual().start(cancel::cancel);
    Completion c = slow.stream(new InferRequest("slow-echo", List.of(ChatMessage.user("a")), 5, 0), t -> { },
        cancel);
    assertEquals(Completion.CANCELLED, c.finishReason());
    assertEquals(0, c.completionTokens());
    assertEquals(-1, c.ttftNanos());
  }

  @Test
  @Timeout(5)
  void shouldStopWhenCancelledBeforeFirstToken() {
    BuiltinEchoEngine slowStart = new BuiltinEchoEngine("e", Duration.ofSeconds(30), Duration.ZERO);
    CancelSignal cancel = new CancelSignal();
    Thread.ofVirtual().start(cancel::cancel);
    Completion c = slowStart.stream(new InferRequest("e", List.of(ChatMessage.user("a")), 5, 0), t -> { },
        cancel);
    assertEquals(Completion.CANCELLED, c.finishReason());
  }

  @Test
  void shouldRejectOtherModelsWhenAsked() {
    ProcessorException e = assertThrows(ProcessorException.class,
        () -> new BuiltinEchoEngine().stream(request("a", 1).withModel("gpt-4"), t -> { }, new CancelSignal()));
    assertEquals(ProcessorException.Code.MODEL_NOT_FOUND, e.code());
    assertEquals(List.of("builtin-echo:builtin"), EngineTesting.names(new BuiltinEchoEngine().models()));
    assertEquals("builtin", new BuiltinEchoEngine().kind());
    assertThrows(IllegalArgumentException.class, () -> new BuiltinEchoEngine(" ", null));
  }
}
