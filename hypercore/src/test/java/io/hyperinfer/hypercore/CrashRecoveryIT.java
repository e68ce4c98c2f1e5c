package io.hyperinfer.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryIT {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void shouldKeepEveryAcknowledgedAppendWhenTheWriterIsKilled() throws Exception {
    long acknowledged = 0;
    for (int round = 0; round < 3; round++) {
      acknowledged = Math.max(acknowledged, runAndKill(acknowledged + 200));
      try (HypercoreStore store = HypercoreStore.open(dir);
          Hypercore core = store.open(Ed25519.fromSeed(new byte[32]))) {
        assertTrue(core.length() >= acknowledged, "length " + core.length() + " < acked " + acknowledged);
        for (long i = 0; i < core.length(); i++) {
          assertArrayEquals(("crash-" + i).getBytes(StandardCharsets.UTF_8), core.get(i), "block " + i);
        }
        acknowledged = core.length();
      }
    }
  }

  /** Starts a writer JVM, waits until it acknowledged {@code target}, kills it with SIGKILL, returns the last ack. */
  private long runAndKill(long target) throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), CrashWriter.class.getName(), dir.toString()))
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    long last = 0;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("ack ")) {
          last = Long.parseLong(line.substring(4));
          if (last >= target) {
            child.destroyForcibly();
            break;
          }
        }
      }
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
    }
    assertTrue(last >= target, "writer stopped early at " + last);
    return last;
  }
}
