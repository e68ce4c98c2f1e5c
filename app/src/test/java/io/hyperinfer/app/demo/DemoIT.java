package io.hyperinfer.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.net.memory.MemoryNetwork;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole demo journey in-process. */
@Timeout(120)
class DemoIT {
  @TempDir
  Path dir;

  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);

  @Test
  void shouldPassEveryStepWhenJourneyRunsOnLocalNetwork() {
    Demo.Result result;
    try (DemoContext ctx = new DemoContext(new MemoryNetwork(), dir, true)) {
      result = new Demo(DemoJourney.steps(), out).run(ctx);
    }
    assertTrue(result.ok(), result.failure() + "\n" + text);
    assertEquals(DemoJourney.steps().size(), result.passed());
    String printed = text.toString();
    assertTrue(printed.contains("1/" + DemoJourney.steps().size() + "] "), printed);
    assertTrue(printed.contains("rejected with ERR_KEY_REVOKED"), printed);
    assertTrue(printed.contains("rejected with ERR_SESSION_REVOKED"), printed);
    assertTrue(printed.contains("_****"), "the key is shown masked");
    assertFalse(printed.contains("FAILED"), printed);
    assertTrue(dir.resolve("auth").resolve("status.json").toFile().isFile(), "auth wrote its status file");
  }
}
