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

/**
 * libsodium extracted from lazysodium's jar leaves nothing in the temporary folder, even under SIGKILL. The probe JVM
 * runs {@link Probe} from the compiled test classes, C1-only (source-file mode compiled it in each probe first).
 */
@Timeout(120)
class NativeTempIT {
  @TempDir
  Path tmp;

  private Process start() throws Exception {
    return new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
        "-cp", System.getProperty("java.class.path"), Probe.class.getName()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
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

  /** The probe's JVM: loads libsodium, says so, and waits for its standard input to close. */
  static final class Probe {
    private Probe() {}

    public static void main(String[] args) throws Exception {
      byte[] hash = io.hyperinfer.crypto.Blake2b.hash(new byte[] {1, 2, 3});
      System.out.println("loaded " + hash.length);
      System.out.flush();
      System.in.read();
    }
  }
}
