package io.hyperinfer.worker.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.WorkerException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MemoryStoreFacilityTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MemoryStoreFacility store = new MemoryStoreFacility();
  private Bee bee;

  @BeforeEach
  void open() {
    store.start(new FacilityContext(new WorkerContext("t", "test", "1"), Config.empty(), Clock.systemUTC(), registry,
        Ed25519::generate));
    bee = store.bee("users");
    for (String k : List.of("a", "b", "c", "d", "e")) {
      bee.putString(k, k.toUpperCase());
    }
  }

  private static List<String> keys(List<Entry> entries) {
    return entries.stream().map(Entry::keyString).toList();
  }

  @Test
  void shouldReadBackValuesWhenPutInEveryEncoding() {
    bee.put("bin", new byte[] {1, 2, 3});
    bee.putJson("json", Json.object().put("x", 1));
    assertArrayEquals(new byte[] {1, 2, 3}, bee.get("bin").orElseThrow());
    assertEquals(1, bee.getJson("json").orElseThrow().get("x").asInt());
    assertEquals(Optional.of("A"), bee.getString("a"));
    assertEquals(Optional.empty(), bee.getString("zz"));
    assertSame(bee, store.bee("users"));
  }

  @Test
  void shouldCopyBytesWhenCallerMutatesArrays() {
    byte[] value = {9};
    bee.put("k", value);
    value[0] = 0;
    byte[] read = bee.get("k").orElseThrow();
    read[0] = 1;
    assertArrayEquals(new byte[] {9}, bee.get("k").orElseThrow());
  }

  @Test
  void shouldRemoveKeyWhenDeleted() {
    assertTrue(bee.del("a"));
    assertFalse(bee.del("a"));
    assertEquals(Optional.empty(), bee.get("a"));
  }

  @Test
  void shouldApplyAllOrNothingWhenBatchFlushes() {
    Batch batch = bee.batch().putString("f", "F").putJson("g", Json.object()).del("a").del(new byte[] {'b'})
        .put("h", new byte[0]);
    assertEquals(Optional.of("A"), bee.getString("a"));
    assertEquals(Optional.empty(), bee.get("f"));
    batch.flush();
    assertEquals(List.of("c", "d", "e", "f", "g", "h"), keys(bee.range(RangeOptions.all())));
    assertThrows(WorkerException.class, batch::flush);
    assertThrows(WorkerException.class, () -> batch.put("x", new byte[0]));
  }

  @Test
  void shouldScanInOrderWhenRangeHasBounds() {
    assertEquals(List.of("b", "c", "d"), keys(bee.range(RangeOptions.all().gte("b").lt("e"))));
    assertEquals(List.of("c", "d", "e"), keys(bee.range(RangeOptions.all().gt("b").lte("e"))));
    assertEquals(List.of("e", "d", "c"), keys(bee.range(RangeOptions.all().gt("b").reverse(true))));
    assertEquals(List.of("a", "b"), keys(bee.range(RangeOptions.all().limit(2))));
    assertEquals(List.of("e", "d"), keys(bee.range(RangeOptions.all().reverse(true).limit(2))));
    assertEquals(List.of("a", "b"), keys(bee.range(RangeOptions.all().lt("c"))));
    assertEquals(List.of("c"), keys(bee.range(RangeOptions.all().gte("c").lte("c"))));
    assertEquals(List.of(), keys(bee.range(RangeOptions.all().gt("c").lte("c"))));
    assertEquals(List.of(), keys(bee.range(RangeOptions.all().gte("d").lt("b"))));
    assertEquals(List.of(), keys(bee.range(RangeOptions.all().limit(0))));
    assertThrows(IllegalArgumentException.class, () -> RangeOptions.all().limit(-2));
  }

  @Test
  void shouldOrderAsUnsignedBytesWhenKeysHaveHighBytes() {
    Bee raw = store.bee("raw");
    raw.put(new byte[] {(byte) 0x80}, new byte[] {1});
    raw.put(new byte[] {0x01}, new byte[] {2});
    List<Entry> all = raw.range(RangeOptions.all());
    assertArrayEquals(new byte[] {0x01}, all.get(0).key());
    assertArrayEquals(new byte[] {(byte) 0x80}, all.get(1).key());
  }

  @Test
  void shouldIsolateKeysWhenUsingSubNamespaces() {
    Bee users = bee.sub("u");
    Bee nested = users.sub("n");
    users.putString("a", "sub-a");
    users.putString("b", "sub-b");
    nested.putString("a", "nested-a");
    assertEquals(Optional.of("A"), bee.getString("a"));
    assertEquals(Optional.of("sub-a"), users.getString("a"));
    assertEquals(Optional.of("nested-a"), nested.getString("a"));
    assertEquals(List.of("a", "b", "n\0a"), keys(users.range(RangeOptions.all())));
    assertEquals(List.of("b"), keys(users.range(RangeOptions.all().gt("a").lt("c"))));
    assertEquals(List.of("b", "a"), keys(users.range(RangeOptions.all().lte("b").reverse(true))));
    assertEquals(List.of("a"), keys(users.range(RangeOptions.prefix("a"))));
    assertTrue(users.del("a"));
    users.batch().putString("c", "C").del("b").flush();
    assertEquals(List.of("c", "n\0a"), keys(users.range(RangeOptions.all())));
    assertEquals(List.of("a"), keys(nested.range(RangeOptions.all())));
    assertThrows(IllegalArgumentException.class, () -> bee.sub(""));
  }

  @Test
  void shouldDecodeEntriesWhenReadFromRange() {
    bee.putJson("j", Json.object().put("v", 2));
    Entry e = bee.range(RangeOptions.all().gte("j").lte("j")).getFirst();
    assertEquals(2, e.valueJson().get("v").asInt());
    assertEquals("j", e.keyString());
    assertEquals(new Entry(e.key(), e.value()), e);
    assertEquals(new Entry(e.key(), e.value()).hashCode(), e.hashCode());
    assertNotEquals(new Entry(e.key(), new byte[0]), e);
    assertTrue(e.toString().contains("j"));
    assertEquals("A", bee.range(RangeOptions.prefix("a")).getFirst().valueString());
  }

  @Test
  void shouldAppendAndReadBlocksWhenUsingCore() {
    Core log = store.core("events");
    assertEquals(0, log.length());
    assertEquals(2, log.append(new byte[] {1}, new byte[] {2}));
    assertEquals(3, log.append(new byte[] {3}));
    assertArrayEquals(new byte[] {2}, log.get(1));
    assertThrows(WorkerException.class, () -> log.get(3));
    assertThrows(WorkerException.class, () -> log.get(-1));
    assertSame(log, store.core("events"));
  }

  @Test
  void shouldKeepDataAndRefuseAccessWhenStoppedThenReopened() {
    store.stop();
    assertFalse(store.isOpen());
    assertThrows(WorkerException.class, () -> store.bee("users"));
    assertThrows(WorkerException.class, () -> bee.get("a"));
    assertThrows(WorkerException.class, () -> store.core("x"));
    store.start(new FacilityContext(new WorkerContext("t", "test", "1"), Config.empty(), Clock.systemUTC(),
        registry, Ed25519::generate));
    assertEquals(Optional.of("A"), store.bee("users").getString("a"));
    assertEquals("store", store.name());
  }

  @Test
  void shouldTimeOperationsWhenStoreIsUsed() {
    bee.get("a");
    assertTrue(registry.get("hyperinfer.facility.ops").tag("op", "bee.put").timer().count() >= 5);
    assertEquals(1, registry.get("hyperinfer.facility.ops").tag("op", "bee.get").timer().count());
  }
}
