package io.hyperinfer.hypercore;

import io.hyperinfer.crypto.Ed25519;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Child process for {@link CrashRecoveryIT}: appends forever (singly, then in batches of 7) and prints "ack N" once
 * each append returned, so the parent knows which lengths were acknowledged before it kills this JVM.
 */
public final class CrashWriter {
  private CrashWriter() {}

  public static void main(String[] args) {
    try (HypercoreStore store = HypercoreStore.open(Path.of(args[0]));
        Hypercore core = store.open(Ed25519.fromSeed(new byte[32]))) {
      System.out.println("ready " + core.length());
      System.out.flush();
      for (long i = core.length(); ; ) {
        List<byte[]> batch = new ArrayList<>();
        int n = i % 2 == 0 ? 1 : 7;
        for (int k = 0; k < n; k++, i++) {
          batch.add(("crash-" + i).getBytes(StandardCharsets.UTF_8));
        }
        long length = core.append(batch);
        System.out.println("ack " + length);
        System.out.flush();
      }
    }
  }
}
