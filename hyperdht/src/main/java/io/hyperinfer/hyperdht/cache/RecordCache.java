package io.hyperinfer.hyperdht.cache;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Sets of records under names, with two generations (record-cache 1.2.0): the announce records of each topic, keyed
 * by announcer. {@link #add} puts a record in the fresh generation (a record already fresh keeps its first value, as
 * in JS); every GC tick ({@link GcSchedule}) fresh becomes stale and stale is dropped, and when the fresh generation
 * holds more than {@code maxSize} records it rotates at once. So a record lives {@code ceil(2/3 maxAge)} to twice
 * that after its last add. {@link #get} draws a uniformly random subset and does not refresh.
 *
 * <p>Bounded: at most {@code 2 · maxSize + 1} records. Not thread-safe: confined to the owner's thread.
 *
 * @param <N> name type (topic)
 * @param <R> record key type (announcer)
 * @param <V> record value type
 */
public final class RecordCache<N, R, V> {
  private final int maxSize;
  private final GcSchedule schedule;
  private final RandomGenerator random;
  private Store<N, R, V> fresh = new Store<>();
  private Store<N, R, V> stale = new Store<>();

  /**
   * An empty cache.
   *
   * @param maxSize fresh records that trigger a rotation when exceeded; at least 1
   * @param maxAge the nominal lifetime; {@link Duration#ZERO} means records never expire by age
   * @param clock the time source the GC ticks follow
   * @param random the source of {@link #get}'s sampling
   */
  public RecordCache(int maxSize, Duration maxAge, InstantSource clock, RandomGenerator random) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
    }
    this.maxSize = maxSize;
    this.schedule = new GcSchedule(maxAge, clock);
    this.random = random;
  }

  /** Adds or refreshes the record {@code key} under {@code name}. */
  public void add(N name, R key, V value) {
    if (name == null || key == null || value == null) {
      throw new IllegalArgumentException("names, keys and values must not be null");
    }
    tick();
    stale.remove(name, key);
    if (fresh.add(name, key, value) && fresh.size > maxSize) {
      rotate();
      schedule.rotatedBySize();
    }
  }

  /** Removes the record {@code key} under {@code name} from both generations. */
  public void remove(N name, R key) {
    tick();
    fresh.remove(name, key);
    stale.remove(name, key);
  }

  /** Up to {@code n} records under {@code name}, drawn at random without repeats; all of them when n is 0. */
  public List<V> get(N name, int n) {
    tick();
    List<Entry<R, V>> a = fresh.list(name);
    List<Entry<R, V>> b = stale.list(name);
    int aLen = a.size();
    int bLen = b.size();
    int len = aLen + bLen;
    int count = n <= 0 || n > len ? len : n;
    List<V> out = new ArrayList<>(count);
    // Partial Fisher-Yates over both lists at once: picked records move behind the shrinking live range.
    for (int i = 0; i < count; i++) {
      int j = random.nextInt(aLen + bLen);
      if (j < aLen) {
        out.add(a.get(j).value);
        swap(a, j, --aLen);
      } else {
        j -= aLen;
        out.add(b.get(j).value);
        swap(b, j, --bLen);
      }
    }
    return out;
  }

  /** Records in both generations. */
  public int size() {
    tick();
    return fresh.size + stale.size;
  }

  /** Drops everything. */
  public void clear() {
    fresh = new Store<>();
    stale = new Store<>();
    schedule.rotatedBySize();
  }

  private void tick() {
    schedule.runDue(this::rotate);
  }

  private void rotate() {
    stale = fresh;
    fresh = new Store<>();
  }

  private static <R, V> void swap(List<Entry<R, V>> list, int i, int j) {
    Entry<R, V> x = list.get(i);
    Entry<R, V> y = list.get(j);
    x.index = j;
    y.index = i;
    list.set(i, y);
    list.set(j, x);
  }

  private static final class Entry<R, V> {
    final R key;
    final V value;
    int index;

    Entry(R key, V value, int index) {
      this.key = key;
      this.value = value;
      this.index = index;
    }
  }

  /** One generation: per name, a list for O(1) sampling and a map for O(1) removal. */
  private static final class Store<N, R, V> {
    private final Map<N, RecordSet<R, V>> sets = new HashMap<>();
    int size;

    boolean add(N name, R key, V value) {
      if (sets.computeIfAbsent(name, k -> new RecordSet<>()).add(key, value)) {
        size++;
        return true;
      }
      return false;
    }

    void remove(N name, R key) {
      RecordSet<R, V> set = sets.get(name);
      if (set != null && set.remove(key)) {
        size--;
        if (set.list.isEmpty()) {
          sets.remove(name);
        }
      }
    }

    List<Entry<R, V>> list(N name) {
      RecordSet<R, V> set = sets.get(name);
      return set == null ? List.of() : set.list;
    }
  }

  private static final class RecordSet<R, V> {
    final List<Entry<R, V>> list = new ArrayList<>();
    final Map<R, Entry<R, V>> byKey = new HashMap<>();

    boolean add(R key, V value) {
      if (byKey.containsKey(key)) {
        return false;
      }
      Entry<R, V> e = new Entry<>(key, value, list.size());
      list.add(e);
      byKey.put(key, e);
      return true;
    }

    boolean remove(R key) {
      Entry<R, V> e = byKey.remove(key);
      if (e == null) {
        return false;
      }
      swap(list, e.index, list.size() - 1);
      list.removeLast();
      return true;
    }
  }
}
