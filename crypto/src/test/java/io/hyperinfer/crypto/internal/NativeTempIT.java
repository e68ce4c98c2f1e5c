package io.hyperinfer.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** libsodium extracted from lazysodium's jar leaves nothing in the temporary folder, even under SIGKILL. */
@Timeout(120)
class NativeTempIT {
  @TempDir
  Path tmp;

  private Process start() throws Exception {
    Path source = Path.of(NativeTempIT.class.getResource("/probe/SodiumProbe.java").toURI());
    return new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"),
        source.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static void awaitLoaded(Process p) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertEquals("loaded 32", out.readLine());
  }

  private List<Path> leftInTmp() throws Exception {
    try (var files = Files.list(tmp)) {
      return files.toList();
    }
  }

  @Test
  void shouldLeaveNoTemporaryFolderWhenProcessExitsNormally() throws Exception {
    Process p = start();
    awaitLoaded(p);
    assertEquals(List.of(), leftInTmp(), "nothing while it runs");
    p.getOutputStream().close();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertEquals(List.of(), leftInTmp());
  }

  @Test
  void shouldLeaveNoTemporaryFolderWhenProcessIsKilled() throws Exception {
    Process p = start();
    try {
      awaitLoaded(p);
    } finally {
      p.destroyForcibly();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    }
    assertEquals(List.of(), leftInTmp());
  }
}
