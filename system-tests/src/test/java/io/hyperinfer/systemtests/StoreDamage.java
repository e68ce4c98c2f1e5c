package io.hyperinfer.systemtests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Damages a stopped worker's store on disk the way a bad disk would, and puts a backup back. The store is a RocksDB
 * directory ({@code <store>/cores}); what a worker wrote since its store was last opened is in the write-ahead log
 * ({@code *.log}), so that is where a flipped byte loses acknowledged writes. Stateless.
 */
final class StoreDamage {
  private StoreDamage() {}

  /** A copy of {@code store}'s cores in a fresh directory. */
  static Path backUp(Path store) throws IOException {
    Path backup = Files.createTempDirectory("store-backup-");
    copy(store.resolve("cores"), backup);
    return backup;
  }

  /** Replaces {@code store}'s cores with {@code backup}. */
  static void restore(Path backup, Path store) throws IOException {
    Path cores = store.resolve("cores");
    try (Stream<Path> all = Files.walk(cores)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Files.createDirectories(cores);
    copy(backup, cores);
  }

  /** Flips one byte in the middle of the largest write-ahead log of {@code store}'s cores. */
  static void flipLogByte(Path store) throws IOException {
    Path log;
    try (Stream<Path> files = Files.list(store.resolve("cores"))) {
      log = files.filter(f -> f.getFileName().toString().endsWith(".log")).max(Comparator.comparingLong(
          StoreDamage::size)).orElseThrow(() -> new AssertionError("no write-ahead log in " + store));
    }
    long length = Files.size(log);
    assertTrue(length > 0, log + " is empty: nothing was written to damage");
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
      f.seek(length / 2);
      int b = f.read();
      f.seek(length / 2);
      f.write(b ^ 0x5a);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
