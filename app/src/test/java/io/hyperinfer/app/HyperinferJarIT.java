package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The packaged launcher, run the way the ./hyperinfer script runs it. */
class HyperinferJarIT {
  @Test
  @Timeout(240)
  void shouldExitZeroAndDeleteItsTemporaryDataWhenPackagedJarRunsTheDemo() throws IOException, InterruptedException {
    Path jar = Path.of("target", "hyperinfer.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "package should have built " + jar);
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "demo",
        "--fast-hashing").redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(200, TimeUnit.SECONDS));
    assertEquals(0, process.exitValue(), output);
    assertTrue(output.contains(" steps did what they should"), output);
    Matcher m = Pattern.compile("data and logs under (\\S+)").matcher(output);
    assertTrue(m.find(), output);
    assertFalse(Files.exists(Path.of(m.group(1))), m.group(1) + " should have been deleted");
  }
}
