package io.hyperinfer.app.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.app.launch.Launcher;
import io.hyperinfer.worker.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole demo journey with every worker a process of the packaged jar, this JVM the client; the workers log JSON
 * at INFO into their log files.
 */
@Timeout(240)
class DemoIT {
  @TempDir
  Path dir;

  private final StringWriter text = new StringWriter();
  private final PrintWriter out = new PrintWriter(text);

  @Test
  void shouldPassEveryStepWhenJourneyRunsOnProcessNetwork() throws Exception {
    Launcher launcher = Launcher.jar(Path.of("target", "hyperinfer.jar").toAbsolutePath()).withCoverageOfThisJvm()
        .withJvmOptions("-Dhyperinfer.log.level=INFO").withEnvironment("HYPERINFER_LOG_FORMAT", "json");
    Demo.Result result;
    try (DemoContext ctx = new DemoContext(launcher, dir, true)) {
      result = new Demo(DemoJourney.steps(), out).run(ctx);
    }
    String printed = text.toString();
    assertTrue(result.ok(), result.failure() + "\n" + printed);
    assertEquals(DemoJourney.steps().size(), result.passed());
    assertTrue(printed.contains("1/" + DemoJourney.steps().size() + "] "), printed);
    assertTrue(printed.contains("rejected with ERR_KEY_REVOKED"), printed);
    assertTrue(printed.contains("rejected with ERR_SESSION_REVOKED"), printed);
    assertTrue(printed.contains("[ERR_RATE_LIMITED]"), printed);
    assertTrue(printed.contains("SIGKILLed processor-") && printed.contains("on attempt 2"), printed);
    assertTrue(printed.contains("384 dimensions") && printed.contains("cosine similarity"), printed);
    assertTrue(printed.contains("_****"), "the key is shown masked");
    assertFalse(printed.contains("FAILED"), printed);
    assertTrue(Files.isRegularFile(dir.resolve("data/workers/auth-1/status.json")), "auth wrote its status file");
    List<String> gatewayLog = Files.readAllLines(dir.resolve("state/logs/gateway.log"));
    long requestLines = 0;
    for (String line : gatewayLog) {
      if (line.startsWith("{")) {
        JsonNode json = Json.parse(line);
        if ("io.hyperinfer.requests".equals(json.path("logger").asText())) {
          requestLines++;
          assertTrue(json.get("ms").isNumber() && json.get("peer").asText().length() == 8, line);
        }
      }
    }
    assertTrue(requestLines > 0, "one JSON line per handled RPC at INFO in the gateway's log");
    String all = String.join("\n", gatewayLog);
    assertFalse(all.contains(InferenceDemoSteps.PASSWORD), "no password in a worker log");
  }
}
