package io.hyperinfer.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.Core;
import io.hyperinfer.worker.store.Entry;
import io.hyperinfer.worker.store.RangeOptions;
import io.hyperinfer.worker.store.StoreFacility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every StoreFacility must do, run against the in-memory store and the on-disk one alike. */
abstract class StoreFacilityContract {
  protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  protected StoreFacility store;

  protected abstract StoreFacility create() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = create();
    store.start(context());
  }

  @AfterEach
  void close() {
    store.stop();
  }

  protected FacilityContext context() {
    return new FacilityContext(new WorkerContext("store-test", "test", "1"), Config.empty(), Clock.systemUTC(),
        registry, Ed25519::generate);
  }

  @Test
  void shouldReturnWhatWasPutWhenKeyExists() {
    Bee bee = store.bee("users");
    bee.putJson("alice", Json.object().put("role", "admin"));
    assertEquals("admin", bee.getJson("alice").orElseThrow().get("role").asText());
    assertTrue(bee.get("bob").isEmpty());
  }

  @Test
  void shouldForgetKeyWhenDeleted() {
    Bee bee = store.bee("k");
    bee.putString("a", "1");
    assertTrue(bee.del("a"));
    assertFalse(bee.del("a"));
    assertTrue(bee.get("a").isEmpty());
  }

  @Test
  void shouldApplyAllOrNothingWhenBatchFlushed() {
    Bee bee = store.bee("b");
    bee.putString("gone", "x");
    var batch = bee.batch().putString("a", "1").putString("b", "2").del("gone");
    assertTrue(bee.get("a").isEmpty(), "nothing is visible before flush");
    batch.flush();
    assertEquals("2", bee.getString("b").orElseThrow());
    assertTrue(bee.get("gone").isEmpty());
    assertThrows(WorkerException.class, batch::flush);
  }

  @Test
  void shouldScanInOrderWhenRangeHasBoundsDirectionAndLimit() {
    Bee bee = store.bee("r");
    for (String k : List.of("d", "a", "e", "c", "b")) {
      bee.putString(k, k);
    }
    assertEquals(List.of("b", "c", "d"), keys(bee.range(RangeOptions.all().gte("b").lt("e"))));
    assertEquals(List.of("d", "c"), keys(bee.range(RangeOptions.all().gt("b").lte("d").reverse(true).limit(2))));
    assertEquals(List.of("a", "b", "c", "d", "e"), keys(bee.range(RangeOptions.all())));
  }

  @Test
  void shouldIsolateKeysWhenUsingSubNamespaces() {
    Bee bee = store.bee("s");
    Bee keys = bee.sub("keys");
    Bee users = bee.sub("users");
    keys.putString("1", "k1");
    users.putString("1", "u1");
    assertEquals("k1", keys.getString("1").orElseThrow());
    assertEquals("u1", users.getString("1").orElseThrow());
    assertEquals(List.of("1"), keys(keys.range(RangeOptions.all())));
  }

  @Test
  void shouldKeepBeesApartWhenNamesDiffer() {
    store.bee("one").putString("k", "1");
    assertTrue(store.bee("two").get("k").isEmpty());
  }

  @Test
  void shouldAppendInOrderWhenUsingCore() {
    Core core = store.core("jobs");
    assertEquals(0, core.length());
    assertEquals(2, core.append(utf8("a"), utf8("b")));
    assertEquals(3, core.append(utf8("c")));
    assertArrayEquals(utf8("b"), core.get(1));
    assertThrows(WorkerException.class, () -> core.get(3));
  }

  @Test
  void shouldMatchSortedMapWhenRandomOperationsApplied() {
    SplittableRandom random = Seeds.random("store-model-" + getClass().getSimpleName());
    Bee bee = store.bee("model");
    NavigableMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    for (int i = 0; i < 400; i++) {
      byte[] key = Seeds.bytes(random, 1 + random.nextInt(3));
      switch (random.nextInt(4)) {
        case 0, 1 -> {
          byte[] value = Seeds.bytes(random, random.nextInt(8));
          bee.put(key, value);
          model.put(key, value);
        }
        case 2 -> assertEquals(model.remove(key) != null, bee.del(key));
        default -> assertArrayEquals(model.get(key), bee.get(key).orElse(null));
      }
    }
    List<byte[]> expected = new ArrayList<>();
    for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
      expected.add(e.getKey());
    }
    List<Entry> actual = bee.range(RangeOptions.all());
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertArrayEquals(expected.get(i), actual.get(i).key());
    }
  }

  @Test
  void shouldRefuseWorkWhenStopped() {
    Bee bee = store.bee("x");
    store.stop();
    assertThrows(WorkerException.class, () -> bee.get("a"));
    assertThrows(WorkerException.class, () -> store.bee("y"));
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static List<String> keys(List<Entry> entries) {
    return entries.stream().map(Entry::keyString).toList();
  }
}
