package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.Timings;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {
  @Test
  void shouldReservePromptQuarterPlusRolesPlusCapWhenAdmitting() {
    InferRequest r = new InferRequest("m", List.of(ChatMessage.user("abcdefgh")), 256, 0.7);
    assertEquals(2 + 1 + 256, TokenEstimate.of(r));
    InferRequest two = new InferRequest("m", List.of(ChatMessage.system("abc"), ChatMessage.user("abcde")), 10, 0);
    assertEquals(2 + 2 + 10, TokenEstimate.of(two));
  }

  @Test
  void shouldExtendProcessorTimingsWhenStopwatchFinishes() {
    Stopwatch w = new Stopwatch();
    w.authDone();
    w.queueDone();
    w.routingDone();
    w.restartPhase();
    Timings t = w.finish(Timings.processor(1, 4, 9), 12.3456);
    assertEquals(12.3456, t.processorMs());
    assertEquals(4.0, t.engineTtftMs());
    assertEquals(9.0, t.engineMs());
    assertTrue(t.totalMs() >= t.authMs() + t.queueMs() + t.routingMs());
    assertEquals(8, t.toJson().size());
  }
}
