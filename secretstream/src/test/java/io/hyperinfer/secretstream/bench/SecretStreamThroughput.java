package io.hyperinfer.secretstream.bench;

import io.hyperinfer.crypto.SecretStreamPull;
import io.hyperinfer.crypto.SecretStreamPush;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Seal/open throughput of a Java-to-Java secret stream over an in-memory pipe, for 64 B, 1 KiB and 64 KiB
 * messages: one thread writes, the peer's reader opens and hands messages to {@code read()}. Not a test; run
 * by hand (see the module README) and record the figures in bench/RESULTS.md.
 */
public final class SecretStreamThroughput {
  private static final int[] SIZES = {64, 1024, 64 * 1024};
  private static final long BYTES_PER_RUN = 256L << 20;
  private static final int RUNS = 5;

  private SecretStreamThroughput() {}

  public static void main(String[] args) throws Exception {
    long bytesPerRun = args.length > 0 ? Long.parseLong(args[0]) << 20 : BYTES_PER_RUN;
    InMemoryRawStream[] raw = InMemoryRawStream.pair(4 << 20);
    SecretStream writer = SecretStream.builder(raw[0], true).start();
    SecretStream reader = SecretStream.builder(raw[1], false).inboxCapacity(1024).start();
    writer.awaitOpen(java.time.Duration.ofSeconds(10));
    for (int size : SIZES) {
      long messages = Math.max(1, bytesPerRun / size);
      run(writer, reader, size, messages / 4);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d B:", size));
      double best = 0;
      for (int r = 0; r < RUNS; r++) {
        double mbs = run(writer, reader, size, messages);
        best = Math.max(best, mbs);
        line.append(String.format(Locale.ROOT, " %8.1f", mbs));
      }
      System.out.println(line.append(String.format(Locale.ROOT, "  MB/s (best %.1f, %.0f msg/s)", best,
          best * 1e6 / size)));
    }
    writer.destroy();
    reader.destroy();
    for (int size : SIZES) {
      long messages = Math.max(1, bytesPerRun / size);
      sealOpen(size, messages / 4);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%6d B seal+open only:", size));
      for (int r = 0; r < RUNS; r++) {
        line.append(String.format(Locale.ROOT, " %8.1f", sealOpen(size, messages)));
      }
      System.out.println(line.append(" MB/s"));
    }
  }

  /** The cipher alone, one thread: seal into a frame, open it again. */
  private static double sealOpen(int size, long messages) {
    byte[] key = new byte[32];
    SecretStreamPush push = new SecretStreamPush(key);
    SecretStreamPull pull = new SecretStreamPull(key, push.header());
    byte[] message = new byte[size];
    byte[] frame = new byte[size + SecretStreamPush.ABYTES];
    long bytes = 0;
    long start = System.nanoTime();
    for (long i = 0; i < messages; i++) {
      push.push(message, 0, size, frame, 0);
      bytes += pull.pull(frame, 0, frame.length).length;
    }
    return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
  }

  private static double run(SecretStream writer, SecretStream reader, int size, long messages) throws Exception {
    byte[] message = new byte[size];
    CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
      long bytes = 0;
      for (long i = 0; i < messages; i++) {
        bytes += reader.read().length;
      }
      return bytes;
    }, task -> Thread.ofVirtual().start(task));
    long start = System.nanoTime();
    for (long i = 0; i < messages; i++) {
      writer.write(message);
    }
    long bytes = received.get();
    long elapsed = System.nanoTime() - start;
    return bytes / (elapsed / 1e9) / 1e6;
  }
}
