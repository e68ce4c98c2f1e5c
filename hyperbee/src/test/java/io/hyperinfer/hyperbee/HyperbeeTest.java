package io.hyperinfer.hyperbee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import io.hyperinfer.hypercore.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HyperbeeTest {
  @TempDir Path dir;
  private HypercoreStore store;
  private Hypercore core;
  private Hyperbee<String, String> bee;

  @BeforeEach
  void open() {
    store = HypercoreStore.open(dir);
    core = store.open(Ed25519.fromSeed(new byte[32]));
    bee = Hyperbee.open(core, Encoding.UTF8, Encoding.UTF8);
  }

  @AfterEach
  void close() {
    core.close();
    store.close();
  }

  @Test
  void shouldWriteHeaderThenEntriesWhenFirstPut() {
    assertEquals(0, bee.version());
    assertTrue(bee.get("a").isEmpty());
    assertTrue(bee.range(Range.all()).isEmpty());
    assertTrue(bee.put("a", "1"));
    assertEquals(2, bee.version());
    assertTrue(BeeBlock.isHeader(core.get(0)));
    Entry<String, String> e = bee.get("a").orElseThrow();
    assertEquals(new Entry<>(1, "a", "1"), e);
    assertFalse(bee.put("a", "1"));
    assertEquals(2, bee.version());
    assertFalse(bee.del("missing"));
    assertTrue(bee.del("a"));
    assertTrue(bee.get("a").isEmpty());
    assertFalse(bee.del("a"));
  }

  @Test
  void shouldSwapOnlyWhenCasAccepts() {
    bee.put("counter", "1");
    assertFalse(bee.put("counter", "2", (cur, next) -> cur.value().equals("0")));
    assertEquals("1", bee.get("counter").orElseThrow().value());
    assertTrue(bee.put("counter", "2", (cur, next) -> cur.value().equals("1") && next.value().equals("2")));
    assertEquals("2", bee.get("counter").orElseThrow().value());
    assertFalse(bee.del("counter", (cur, next) -> false));
    assertTrue(bee.del("counter", (cur, next) -> next.value() == null && cur.value().equals("2")));
    assertTrue(bee.get("counter").isEmpty());
    assertTrue(bee.put("fresh", "x", (cur, next) -> false), "cas is not asked when the key is absent");
  }

  @Test
  void shouldSeePendingWritesAndAppendOnceWhenBatchFlushes() {
    bee.put("before", "0");
    long version = bee.version();
    try (Batch<String, String> batch = bee.batch()) {
      for (int i = 0; i < 50; i++) {
        batch.put("k" + i, "v" + i);
      }
      batch.del("before");
      assertEquals("v7", batch.get("k7").orElseThrow().value());
      assertTrue(batch.get("before").isEmpty());
      assertEquals(version, bee.version());
      assertEquals(version + 51, batch.flush());
      assertThrows(BeeException.class, () -> batch.put("late", "x"));
    }
    assertEquals(50, bee.range(Range.all()).size());
    try (Batch<String, String> dropped = bee.batch()) {
      dropped.put("never", "x");
    }
    assertTrue(bee.get("never").isEmpty());
    assertEquals(version + 51, bee.version());
  }

  @Test
  void shouldKeepOldContentsWhenCheckedOutOrSnapshotted() {
    bee.put("a", "1");
    long v1 = bee.version();
    try (Hyperbee<String, String> snap = bee.snapshot()) {
      bee.put("a", "2");
      bee.put("b", "3");
      assertEquals("1", bee.checkout(v1).get("a").orElseThrow().value());
      assertTrue(bee.checkout(v1).get("b").isEmpty());
      assertEquals("1", snap.get("a").orElseThrow().value());
      assertEquals(v1, snap.version());
      assertFalse(snap.writable());
      assertThrows(BeeException.class, () -> bee.checkout(v1).put("c", "x"));
      core.truncate(v1);
      assertEquals("1", snap.get("a").orElseThrow().value());
      assertTrue(bee.get("b").isEmpty());
    }
    assertThrows(BeeException.class, () -> bee.checkout(999));
  }

  @Test
  void shouldListChangesWhenDiffingVersions() {
    bee.put("a", "1");
    bee.put("b", "1");
    bee.put("c", "1");
    long v = bee.version();
    bee.put("b", "2");
    bee.del("c");
    bee.put("d", "1");
    List<DiffEntry<String, String>> diff = bee.diff(v, Range.all());
    assertEquals(3, diff.size());
    assertEquals("b", diff.get(0).left().key());
    assertEquals("2", diff.get(0).left().value());
    assertEquals("1", diff.get(0).right().value());
    assertEquals(null, diff.get(1).left());
    assertEquals("c", diff.get(1).right().key());
    assertEquals("d", diff.get(2).left().key());
    assertEquals(null, diff.get(2).right());
    assertEquals(1, bee.diff(v, Range.<String>all().gte("c").lt("d")).size());
  }

  @Test
  void shouldIsolateKeysWhenUsingSubs() {
    Hyperbee<String, String> users = bee.sub("users");
    Hyperbee<String, JsonNode> docs = bee.sub("docs", Encoding.UTF8, Encoding.JSON);
    users.put("alice", "A");
    users.sub("admins").put("root", "R");
    docs.put("alice", new ObjectMapper().createObjectNode().put("age", 3));
    bee.put("alice", "top");
    assertEquals("A", users.get("alice").orElseThrow().value());
    assertEquals(3, docs.get("alice").orElseThrow().value().get("age").asInt());
    assertEquals("top", bee.get("alice").orElseThrow().value());
    // like JS, a namespace's range also holds its nested namespaces' keys (they share the prefix)
    assertEquals(List.of("admins\0root", "alice"), users.range(Range.all()).stream().map(Entry::key).toList());
    assertEquals("R", users.sub("admins").get("root").orElseThrow().value());
    assertEquals(0, users.range(Range.<String>all().gt("alice").limit(1)).size());
    assertEquals(1, users.range(Range.<String>all().gte("alice").limit(1)).size());
    assertEquals(0, users.range(Range.<String>all().limit(0)).size());
    String raw = new String(core.get(1), StandardCharsets.UTF_8);
    assertTrue(raw.contains("users\0alice"));
  }

  @Test
  void shouldRoundTripBinaryKeysWhenUsingTheBinaryEncoding() {
    Hyperbee<byte[], byte[]> binary = Hyperbee.open(core);
    binary.put(new byte[] {(byte) 0xFF}, new byte[] {1});
    binary.put(new byte[] {0x01}, new byte[] {2});
    List<Entry<byte[], byte[]>> all = binary.range(Range.all());
    assertArrayEquals(new byte[] {1}, all.get(0).key());
    assertArrayEquals(new byte[] {(byte) 0xFF}, all.get(1).key());
    assertTrue(binary.writable());
  }

  @Test
  void shouldRejectBadInputWhenWritingOrOpening() {
    assertEquals(BeeException.Code.BAD_ARGUMENT, assertThrows(BeeException.class, () -> bee.put(null, "x")).code());
    assertEquals(BeeException.Code.BAD_ARGUMENT, assertThrows(BeeException.class, () -> bee.put("x", null)).code());
    try (Hypercore other = store.open(Ed25519.fromSeed(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
        9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}))) {
      other.append("not a bee".getBytes(StandardCharsets.UTF_8));
      BeeException e = assertThrows(BeeException.class, () -> Hyperbee.open(other, Encoding.UTF8, Encoding.UTF8));
      assertEquals(BeeException.Code.DECODING_ERROR, e.code());
    }
    try (Hypercore replica = store.open(Manifest.of(Ed25519.fromSeed(new byte[] {5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
        5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5}).publicKey()),
        HypercoreStore.OnCorruption.FAIL)) {
      Hyperbee<String, String> readOnly = Hyperbee.open(replica, Encoding.UTF8, Encoding.UTF8);
      assertEquals(BeeException.Code.NOT_WRITABLE,
          assertThrows(BeeException.class, () -> readOnly.put("a", "b")).code());
    }
    bee.put("j", "not json");
    Hyperbee<String, JsonNode> json = Hyperbee.open(core, Encoding.UTF8, Encoding.JSON);
    assertEquals(BeeException.Code.DECODING_ERROR, assertThrows(BeeException.class, () -> json.get("j")).code());
  }

  @Test
  void shouldKeepEntriesWhenReopened() {
    for (int i = 0; i < 100; i++) {
      bee.put("k" + i, "v" + i);
    }
    core.close();
    store.close();
    open();
    assertEquals(100, bee.range(Range.all()).size());
    assertEquals("v42", bee.get("k42").orElseThrow().value());
  }
}
