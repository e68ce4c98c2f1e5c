package io.hyperinfer.hypercore;

import static io.hyperinfer.hypercore.HypercoreTest.blocks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Damage to the store's files on disk (a bad disk, a stray tool) while no process has it open: the open refuses it
 * with CORRUPT_STORAGE, never serves a silently shorter core. {@link CorruptionTest} covers damaged rows.
 */
class StoreFileCorruptionTest {
  private static final KeyPair KEYS = Ed25519.fromSeed(new byte[32]);

  @TempDir Path dir;

  @Test
  void shouldRefuseTheStoreWhenAByteInTheMiddleOfItsWriteAheadLogIsFlipped() throws IOException {
    writeCore(20);
    Path log = onlyFile(".log");
    flip(log, Files.size(log) / 2);

    HypercoreException e = assertThrows(HypercoreException.class, () -> HypercoreStore.open(dir));
    assertEquals(HypercoreException.Code.CORRUPT_STORAGE, e.code());
    assertTrue(e.getMessage().contains("is damaged and was not opened"), e.getMessage());
  }

  @Test
  void shouldRefuseTheStoreWhenItsWriteAheadLogIsCutShort() throws IOException {
    writeCore(20);
    Path log = onlyFile(".log");
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
      f.setLength(f.length() * 2 / 3);
    }

    HypercoreException e = assertThrows(HypercoreException.class, () -> HypercoreStore.open(dir));
    assertEquals(HypercoreException.Code.CORRUPT_STORAGE, e.code());
  }

  @Test
  void shouldOpenEveryAcknowledgedBlockWhenTheLogIsIntact() {
    writeCore(20);
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      assertEquals(20, core.length());
    }
  }

  @Test
  void shouldRefuseTheCoreWhenAByteOfATableFileIsFlipped() throws IOException, RocksDBException {
    writeCore(20);
    try (Options options = new Options(); RocksDB db = RocksDB.open(options, dir.toString());
        FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
    }
    Path table = onlyFile(".sst");
    flip(table, 64);

    HypercoreException e = assertThrows(HypercoreException.class, () -> {
      try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
        core.length();
      }
    });
    assertEquals(HypercoreException.Code.CORRUPT_STORAGE, e.code(), e.getMessage());
  }

  private void writeCore(int length) {
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      for (int i = 0; i < length; i++) {
        core.append(blocks(i, i + 1));
      }
    }
  }

  private Path onlyFile(String suffix) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      var found = files.filter(f -> f.getFileName().toString().endsWith(suffix)).filter(f -> size(f) > 0).toList();
      assertEquals(1, found.size(), "one non-empty " + suffix + " file: " + found);
      return found.getFirst();
    }
  }

  private static long size(Path f) {
    try {
      return Files.size(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void flip(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x5a);
    }
  }
}
