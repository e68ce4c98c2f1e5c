package io.hyperinfer.worker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The logging switches as a fresh process sees them, with no logback.xml anywhere on its class path. */
@Timeout(120)
class LogSetupIT {
  @TempDir
  Path dir;

  private record Run(int exit, String stderr) {}

  /**
   * Runs {@link LogProbe} from the compiled test classes (source-file mode compiled it in every child first, which
   * was most of each child's seconds), on C1 and the serial collector: a JVM that logs two lines and exits.
   */
  private Run probe(Map<String, String> env, String... jvmArgs) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(jvmArgs));
    cmd.add(LogProbe.class.getName());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().keySet().removeIf(k -> k.startsWith("HYPERINFER_LOG_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(90, TimeUnit.SECONDS));
    return new Run(p.exitValue(), err);
  }

  @Test
  void shouldWriteJsonLinesWhenEnvironmentAsksForJson() throws Exception {
    Run run = probe(Map.of("HYPERINFER_LOG_FORMAT", "json"));
    assertEquals(0, run.exit(), run.stderr());
    List<String> lines = run.stderr().lines().toList();
    assertEquals(2, lines.size(), run.stderr());
    JsonNode warn = Json.parse(lines.get(1));
    assertEquals("WARN", warn.get("level").asText());
    assertEquals("probe warn password=***", warn.get("message").asText());
    assertEquals("probe", warn.get("logger").asText());
  }

  @Test
  void shouldWriteDatedPlainLinesAtTheLevelAskedWhenPropertiesSayPlainWarn() throws Exception {
    Run run = probe(Map.of("HYPERINFER_LOG_FORMAT", "json"), "-Dhyperinfer.log.format=plain",
        "-Dhyperinfer.log.level=WARN");
    assertEquals(0, run.exit(), run.stderr());
    List<String> lines = run.stderr().lines().toList();
    assertEquals(1, lines.size(), run.stderr());
    assertTrue(lines.get(0).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z WARN  \\[-/-] probe - probe warn"
        + " password=\\*\\*\\*"), lines.get(0));
  }

  @Test
  void shouldWriteToPrivateFolderInsteadOfStderrWhenFileIsSet() throws Exception {
    Path file = dir.resolve("state/logs/worker.log");
    Run run = probe(Map.of("HYPERINFER_LOG_FILE", file.toString()));
    assertEquals(0, run.exit(), run.stderr());
    assertEquals("", run.stderr());
    String written = Files.readString(file);
    assertTrue(written.contains("probe info") && written.contains("probe warn password=***"), written);
    assertFalse(written.contains("hunter2"));
    assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(file.getParent())));
  }
}
