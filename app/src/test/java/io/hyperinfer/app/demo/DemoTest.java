package io.hyperinfer.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.app.launch.Launcher;
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
    try (DemoContext ctx = new DemoContext(Launcher.current(), dir, true)) {
      result = new Demo(steps, out).run(ctx);
    }
    assertFalse(result.ok());
    assertEquals(1, result.passed());
    assertEquals("second: expected the moon", result.failure());
    assertTrue(text.toString().contains("FAILED: expected the moon"));
    assertFalse(text.toString().contains("third"));
  }

  @Test
  void shouldFailStepWhenItNeedsWhatNoEarlierStepProvided() {
    try (DemoContext ctx = new DemoContext(Launcher.current(), dir, true)) {
      assertTrue(assertThrows(DemoFailure.class, ctx::network).getMessage().contains("started the network"));
      assertThrows(DemoFailure.class, () -> ctx.get("missing", String.class));
      ctx.put("there", "value");
      assertEquals("value", ctx.get("there", String.class));
      assertEquals(ctx.peerKeys("gateway").publicKey().length, 32);
      assertTrue(java.util.Arrays.equals(ctx.peerKeys("gateway").publicKey(), ctx.peerKeys("gateway").publicKey()),
          "a peer keeps its key");
      assertTrue(ctx.shutdown(), "nothing started, nothing to stop");
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
