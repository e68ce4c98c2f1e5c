package io.hyperinfer.hypercore;

import static io.hyperinfer.hypercore.HypercoreTest.b;
import static io.hyperinfer.hypercore.HypercoreTest.blocks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

class CorruptionTest {
  private static final KeyPair KEYS = Ed25519.fromSeed(new byte[32]);
  /** The first core created in a store gets id 1. */
  private static final int CORE_ID = 1;

  @TempDir Path dir;

  private void writeCore(int length) {
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      core.append(blocks(0, length));
    }
  }

  /** Rewrites one row behind the store's back, the way a bad disk or a stray tool would. */
  private void tamper(byte type, long index, java.util.function.UnaryOperator<byte[]> change) throws RocksDBException {
    ByteBuffer key = ByteBuffer.allocate(index < 0 ? 5 : 13).put(type).putInt(CORE_ID);
    if (index >= 0) {
      key.putLong(index);
    }
    try (Options options = new Options(); RocksDB db = RocksDB.open(options, dir.toString())) {
      db.put(key.array(), change.apply(db.get(key.array())));
    }
  }

  private HypercoreException openFails() {
    try (HypercoreStore store = HypercoreStore.open(dir)) {
      return assertThrows(HypercoreException.class, () -> store.open(KEYS));
    }
  }

  @Test
  void shouldReportLastValidLengthWhenABlockIsFlipped() throws RocksDBException {
    writeCore(20);
    tamper((byte) 2, 13, v -> {
      v[0] ^= 1;
      return v;
    });
    HypercoreException e = openFails();
    assertEquals(HypercoreException.Code.CORRUPT_STORAGE, e.code());
    assertEquals(13, e.lastValidLength());
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore core = store.open(Manifest.of(KEYS.publicKey()), KEYS, HypercoreStore.OnCorruption.TRUNCATE)) {
      assertEquals(13, core.length());
      assertEquals(1, core.fork());
      assertArrayEquals(b("b12"), core.get(12));
      assertTrue(core.manifest().verify(core.signature(), core.treeHash(), 13, 1));
      core.append(b("after repair"));
    }
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      assertEquals(14, core.length());
    }
  }

  @Test
  void shouldDetectWhenAParentNodeIsDamaged() throws RocksDBException {
    writeCore(16);
    tamper((byte) 3, 11, v -> {
      v[20] ^= 1;
      return v;
    });
    HypercoreException e = openFails();
    assertEquals(HypercoreException.Code.CORRUPT_STORAGE, e.code());
    assertEquals(4, e.lastValidLength());
  }

  @Test
  void shouldDetectWhenTheSignatureIsDamaged() throws RocksDBException {
    writeCore(5);
    tamper((byte) 1, -1, v -> {
      v[40] ^= 1;
      return v;
    });
    HypercoreException e = openFails();
    assertEquals(HypercoreException.Code.CORRUPT_STORAGE, e.code());
    assertEquals(5, e.lastValidLength());
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore core = store.open(Manifest.of(KEYS.publicKey()), KEYS, HypercoreStore.OnCorruption.TRUNCATE)) {
      assertEquals(5, core.length());
    }
  }

  @Test
  void shouldDetectWhenTheHeaderIsTorn() throws RocksDBException {
    writeCore(3);
    tamper((byte) 1, -1, v -> java.util.Arrays.copyOf(v, 30));
    assertEquals(HypercoreException.Code.CORRUPT_STORAGE, openFails().code());
  }

  @Test
  void shouldEmptyAReplicaWhenItIsRepaired() throws RocksDBException {
    try (HypercoreStore a = HypercoreStore.open(dir.resolve("w")); Hypercore writer = a.open(KEYS);
        HypercoreStore store = HypercoreStore.open(dir);
        Hypercore reader = store.open(writer.manifest(), HypercoreStore.OnCorruption.FAIL)) {
      writer.append(blocks(0, 6));
      reader.verify(writer.proof(2, 0));
    }
    tamper((byte) 2, 2, v -> b("bad"));
    try (HypercoreStore store = HypercoreStore.open(dir)) {
      Manifest manifest = Manifest.of(KEYS.publicKey());
      HypercoreException e = assertThrows(HypercoreException.class,
          () -> store.open(manifest, HypercoreStore.OnCorruption.FAIL));
      assertEquals(2, e.lastValidLength());
      try (Hypercore reader = store.open(manifest, HypercoreStore.OnCorruption.TRUNCATE)) {
        assertEquals(0, reader.length());
      }
    }
  }
}
