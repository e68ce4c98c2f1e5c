package io.hyperinfer.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HypercoreTest {
  private static final KeyPair KEYS = Ed25519.fromSeed(new byte[32]);

  @TempDir Path dir;

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<byte[]> blocks(int from, int to) {
    List<byte[]> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(b("b" + i));
    }
    return out;
  }

  @Test
  void shouldReadBackBlocksWhenAppendedSinglyAndInBatches() {
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      assertTrue(core.writable());
      assertEquals(1, core.append(b("a")));
      assertEquals(3, core.append(b("bb"), b("ccc")));
      assertEquals(3, core.append(List.of()));
      assertEquals(3, core.length());
      assertEquals(6, core.byteLength());
      assertArrayEquals(b("ccc"), core.get(2));
      assertTrue(core.has(1));
      assertFalse(core.has(3));
      HypercoreException e = assertThrows(HypercoreException.class, () -> core.get(3));
      assertEquals(HypercoreException.Code.OUT_OF_BOUNDS, e.code());
      assertTrue(core.manifest().verify(core.signature(), core.treeHash(), 3, 0));
    }
  }

  @Test
  void shouldKeepEveryBlockWhenStoreIsReopened() {
    byte[] hash;
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      core.append(blocks(0, 50));
      hash = core.treeHash();
    }
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      assertEquals(50, core.length());
      assertArrayEquals(hash, core.treeHash());
      assertArrayEquals(b("b49"), core.get(49));
      Hypercore replica = store.open(core.manifest(), HypercoreStore.OnCorruption.FAIL);
      assertTrue(replica.writable());
      replica.close();
    }
  }

  @Test
  void shouldMatchAFreshCoreWhenTruncatedAndReappended() {
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore core = store.open(KEYS);
        Hypercore other = store.open(Ed25519.fromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
            15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}))) {
      core.append(blocks(0, 23));
      core.truncate(11);
      assertEquals(11, core.length());
      assertEquals(1, core.fork());
      assertThrows(HypercoreException.class, () -> core.get(11));
      assertTrue(core.manifest().verify(core.signature(), core.treeHash(), 11, 1));
      core.append(blocks(11, 17));
      other.append(blocks(0, 17));
      assertArrayEquals(other.treeHash(), core.treeHash());
      assertArrayEquals(b("b16"), core.get(16));
    }
  }

  @Test
  void shouldKeepTheOldViewWhenSnapshotAndCoreChanges() {
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      core.append(blocks(0, 5));
      try (Hypercore snap = core.snapshot(); Hypercore session = core.session()) {
        core.truncate(2);
        core.append(b("new"));
        assertEquals(5, snap.length());
        assertArrayEquals(b("b4"), snap.get(4));
        assertArrayEquals(b("b2"), snap.get(2));
        assertTrue(snap.isSnapshot());
        assertFalse(snap.writable());
        assertEquals(3, session.length());
        assertArrayEquals(b("new"), session.get(2));
        assertThrows(HypercoreException.class, () -> snap.append(b("x")));
        assertEquals(0, snap.fork());
        assertEquals(1, session.fork());
      }
    }
  }

  @Test
  void shouldRejectUseWhenSessionIsClosed() {
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(KEYS)) {
      Hypercore session = core.session();
      session.close();
      session.close();
      HypercoreException e = assertThrows(HypercoreException.class, () -> session.get(0));
      assertEquals(HypercoreException.Code.SESSION_CLOSED, e.code());
      core.append(b("still open"));
      assertEquals(1, core.length());
    }
  }

  @Test
  void shouldFailWithSessionClosedWhenTheStoreIsClosedUnderOpenSessions() {
    HypercoreStore store = HypercoreStore.open(dir);
    Hypercore core = store.open(KEYS);
    core.append(b("x"));
    Hypercore snap = core.snapshot();
    store.close();
    store.close();
    assertEquals(HypercoreException.Code.SESSION_CLOSED,
        assertThrows(HypercoreException.class, () -> core.get(0)).code());
    assertEquals(HypercoreException.Code.SESSION_CLOSED,
        assertThrows(HypercoreException.class, () -> core.append(b("y"))).code());
    assertEquals(HypercoreException.Code.SESSION_CLOSED,
        assertThrows(HypercoreException.class, () -> store.open(KEYS)).code());
    snap.close();
    core.close();
  }

  @Test
  void shouldRejectAppendWhenCoreIsAReadOnlyReplica() {
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore replica = store.open(Manifest.of(KEYS.publicKey()), HypercoreStore.OnCorruption.FAIL)) {
      assertFalse(replica.writable());
      HypercoreException e = assertThrows(HypercoreException.class, () -> replica.append(b("x")));
      assertEquals(HypercoreException.Code.NOT_WRITABLE, e.code());
    }
  }
}
