package io.hyperinfer.app.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.net.memory.MemoryNetwork;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class InferenceDemoStepsTest {
  @TempDir
  Path dir;

  @Test
  void shouldPassEveryStepWhenInferenceJourneyRunsAfterAuthJourney() {
    List<DemoStep> steps = new ArrayList<>();
    steps.add(InferenceDemoSteps.startNetwork());
    steps.addAll(AuthDemoSteps.journey());
    steps.addAll(InferenceDemoSteps.journey());
    steps.add(DemoJourney.shutdown());
    StringWriter text = new StringWriter();
    Demo.Result result;
    try (DemoContext ctx = new DemoContext(new MemoryNetwork(), dir, true)) {
      result = new Demo(steps, new PrintWriter(text)).run(ctx);
    }
    String printed = text.toString();
    assertTrue(result.ok(), result.failure() + "\n" + printed);
    assertTrue(printed.contains("not a language model"), printed);
    assertTrue(printed.contains("[ERR_RATE_LIMITED]"), printed);
    assertTrue(printed.contains("on attempt 2"), printed);
    assertTrue(printed.contains("engine first token"), printed);
    assertTrue(printed.contains("384 dimensions") && printed.contains("cosine similarity"), printed);
    assertFalse(printed.contains("FAILED"), printed);
  }
}
