package io.hyperinfer.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.memory.MemoryNetwork;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {
  @TempDir
  Path dir;

  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);

  @Test
  void shouldStopAtFirstFailingStepWhenAStepDoesNotDoWhatItShould() {
    List<DemoStep> steps = List.of(
        DemoStep.of("first", ctx -> "fine"),
        DemoStep.of("second", ctx -> {
          DemoFailure.check(false, "expected the moon");
          return "unreachable";
        }),
        DemoStep.of("third", ctx -> "never runs"));
    Demo.Result result;
    try (DemoContext ctx = new DemoContext(new MemoryNetwork(), dir, true)) {
      result = new Demo(steps, out).run(ctx);
    }
    assertFalse(result.ok());
    assertEquals(1, result.passed());
    assertEquals("second: expected the moon", result.failure());
    assertTrue(text.toString().contains("FAILED: expected the moon"));
    assertFalse(text.toString().contains("third"));
  }

  @Test
  void shouldFailStepWhenCallSucceedsButAnErrorWasExpected() throws Exception {
    try (DemoContext ctx = new DemoContext(new MemoryNetwork(), dir, true)) {
      AuthDemoSteps.startAuth().run(ctx);
      DemoFailure wrongOutcome = assertThrows(DemoFailure.class, () -> ctx.callExpectingError("user", "sessionKey",
          Json.object(), "ERR_FORBIDDEN"));
      assertTrue(wrongOutcome.getMessage().contains("succeeded"));
      DemoFailure wrongCode = assertThrows(DemoFailure.class, () -> ctx.callExpectingError("user", "login",
          Json.object(), "ERR_FORBIDDEN"));
      assertTrue(wrongCode.getMessage().contains("ERR_BAD_REQUEST"), wrongCode.getMessage());
      assertThrows(DemoFailure.class, () -> ctx.get("missing", String.class));
      assertTrue(ctx.shutdown());
      assertEquals(0, ctx.runningWorkers());
    }
  }

  @Test
  void shouldDescribeFailuresWhenTheyAreWrappedOrForeign() {
    assertEquals("ERR_X (boom)", Demo.describe(new CompletionException(new NetException("ERR_X", "boom"))));
    assertEquals("IllegalStateException: odd", Demo.describe(new IllegalStateException("odd")));
    assertEquals("CompletionException: null", Demo.describe(new CompletionException(null, null)));
  }

  @Test
  void shouldReportNothingFailedWhenJourneyIsEmpty() {
    Demo.Result result = new Demo(List.of(), out).run(null);
    assertTrue(result.ok());
    assertNull(result.failure());
  }
}
