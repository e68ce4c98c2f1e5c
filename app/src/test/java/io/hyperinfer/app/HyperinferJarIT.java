package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The packaged launcher, run the way the ./hyperinfer script runs it. */
class HyperinferJarIT {
  @Test
  @Timeout(120)
  void shouldExitZeroWhenPackagedJarRunsTheDemo() throws IOException, InterruptedException {
    Path jar = Path.of("target", "hyperinfer.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "package should have built " + jar);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "demo")
        .redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains(" steps did what they should."), output);
  }

  @Test
  @Timeout(120)
  void shouldWriteJsonLogsWhenTheSwitchIsSetForThePackagedJar(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "hyperinfer.jar").toAbsolutePath();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path stdout = dir.resolve("stdout.txt");
    ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dhyperinfer.log.level=INFO",
        "-jar", jar.toString(), "demo").redirectOutput(stdout.toFile());
    pb.environment().put("HYPERINFER_LOG_FORMAT", "json");
    Process process = pb.start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), stderr);
    assertTrue(Files.readString(stdout).contains(" steps did what they should."));
    List<String> lines = stderr.lines().toList();
    assertTrue(lines.size() > 10, stderr);
    int requestLines = 0;
    for (String line : lines) {
      JsonNode json = Json.parse(line);
      assertTrue(json.get("time").asText().endsWith("Z"), line);
      if ("io.hyperinfer.requests".equals(json.path("logger").asText())) {
        requestLines++;
        assertTrue(json.get("ms").isNumber() && json.get("peer").asText().length() == 8, line);
      }
    }
    assertTrue(requestLines > 0, "one line per handled RPC at INFO: " + stderr);
  }
}
