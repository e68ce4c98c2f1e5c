package io.hyperinfer.systemtests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.app.launch.Child;
import io.hyperinfer.app.launch.Launcher;
import io.hyperinfer.worker.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, {@code hyperinfer demo}, from the packaged jar: the whole journey over a network of
 * worker processes on the real stack, a processor SIGKILLed mid-request, a clean shutdown; the workers log JSON.
 */
class DemoSystemTest {
  @Test
  @Timeout(240)
  void shouldWalkEveryStepOverWorkerProcessesWhenThePackagedJarRunsTheDemo(@TempDir Path dir) throws Exception {
    // through the launcher, so the demo process and the workers it starts carry this JVM's coverage agent
    Launcher launcher = Launcher.jar(ProcessCluster.JAR).withCoverageOfThisJvm()
        .withJvmOptions("-Dhyperinfer.log.level=INFO").withEnvironment("HYPERINFER_LOG_FORMAT", "json");
    Path output = dir.resolve("demo-output.txt");
    Path net = dir.resolve("network");
    Child demo = launcher.start("demo", List.of("demo", "--fast-hashing", "--dir", net.toString()), output);
    demo.onExit().get(200, TimeUnit.SECONDS);
    String printed = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(Optional.of(0), demo.exitStatus(), printed);
    assertTrue(printed.contains(" steps did what they should"), printed);
    assertTrue(printed.contains("rejected with ERR_KEY_REVOKED") && printed.contains("rejected with ERR_SESSION_REVOKED"),
        printed);
    assertTrue(printed.contains("[ERR_RATE_LIMITED]"), printed);
    assertTrue(printed.contains("SIGKILLed processor-") && printed.contains("on attempt 2"), printed);
    assertTrue(printed.contains("384 dimensions"), printed);
    assertTrue(printed.contains("_****"), "the key is shown masked");
    assertFalse(printed.contains("FAILED"), printed);

    Path logs = net.resolve("state/logs");
    assertTrue(Files.isRegularFile(net.resolve("data/workers/auth-1/status.json")), "auth wrote its status file");
    long requestLines = 0;
    for (String line : Files.readAllLines(logs.resolve("gateway.log"))) {
      if (line.startsWith("{")) {
        JsonNode json = Json.parse(line);
        if ("io.hyperinfer.requests".equals(json.path("logger").asText())) {
          requestLines++;
          assertTrue(json.get("ms").isNumber() && json.get("peer").asText().length() == 8, line);
        }
      }
    }
    assertTrue(requestLines > 0, "one JSON line per handled RPC at INFO in the gateway's log");
    for (String worker : List.of("gateway", "auth", "processor-1", "processor-2")) {
      String log = Files.readString(logs.resolve(worker + ".log"));
      assertFalse(log.contains("tea-Kettle-42-whistle") || log.contains("correct-Horse-7-battery"),
          "no password in " + worker + ".log");
    }
  }
}
