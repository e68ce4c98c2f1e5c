package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
}
