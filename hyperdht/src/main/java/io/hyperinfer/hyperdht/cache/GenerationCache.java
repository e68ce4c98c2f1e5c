package io.hyperinfer.hyperdht.cache;

import java.time.Duration;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A bounded key-value cache with two generations and pinned entries (xache 1.3.0). New entries go to the latest
 * generation; every GC tick ({@link GcSchedule}) the latest becomes the oldest and the oldest is dropped, so an entry
 * lives between {@code ceil(2/3 maxAge)} and twice that after its last {@link #set} or {@link #get}. A {@code get}
 * of an oldest entry moves it back to the latest: reading refreshes. When the latest generation reaches
 * {@code maxSize} it rotates at once. {@link #retain}ed entries never expire and are never displaced by
 * {@link #set}; they are bounded by {@code maxSize} too.
 *
 * <p>Bounded: at most {@code 2 · maxSize} entries plus {@code maxSize} retained. Not thread-safe: confined to the
 * owner's thread (the DHT node loop).
 *
 * @param <K> key type with value equality
 * @param <V> value type
 */
public final class GenerationCache<K, V> {
  private final int maxSize;
  private final GcSchedule schedule;
  private Map<K, V> latest = new HashMap<>();
  private Map<K, V> oldest = new HashMap<>();
  private final Map<K, V> retained = new HashMap<>();

  /**
   * An empty cache.
   *
   * @param maxSize entries in the latest generation that trigger a rotation; at least 1
   * @param maxAge the nominal lifetime; {@link Duration#ZERO} means entries never expire by age
   * @param clock the time source the GC ticks follow
   */
  public GenerationCache(int maxSize, Duration maxAge, InstantSource clock) {
    if (maxSize < 1) {
      throw new IllegalArgumentException("maxSize must be positive: " + maxSize);
    }
    this.maxSize = maxSize;
    this.schedule = new GcSchedule(maxAge, clock);
  }

  /** The value for {@code key}, moving it to the latest generation if it was in the oldest. */
  public Optional<V> get(K key) {
    tick();
    V v = latest.get(key);
    if (v != null) {
      return Optional.of(v);
    }
    v = oldest.remove(key);
    if (v != null) {
      latest.put(key, v);
      return Optional.of(v);
    }
    return Optional.ofNullable(retained.get(key));
  }

  /** Stores {@code value} in the latest generation; ignored when {@code key} is retained, as in JS. */
  public void set(K key, V value) {
    requireValue(key, value);
    tick();
    if (retained.containsKey(key)) {
      return;
    }
    latest.put(key, value);
    oldest.remove(key);
    if (latest.size() >= maxSize) {
      rotate();
      schedule.rotatedBySize();
    }
  }

  /**
   * Pins {@code value} under {@code key} until {@link #delete}: it never expires.
   *
   * @return false, storing nothing, when {@code maxSize} other keys are retained already
   */
  public boolean retain(K key, V value) {
    requireValue(key, value);
    tick();
    if (!retained.containsKey(key) && retained.size() >= maxSize) {
      return false;
    }
    retained.put(key, value);
    if (latest.remove(key) == null) {
      oldest.remove(key);
    }
    return true;
  }

  /** Removes {@code key} from whichever generation holds it, retained included. */
  public boolean delete(K key) {
    tick();
    return latest.remove(key) != null || oldest.remove(key) != null || retained.remove(key) != null;
  }

  /** Whether {@code key} is present, without refreshing it. */
  public boolean has(K key) {
    tick();
    return latest.containsKey(key) || oldest.containsKey(key) || retained.containsKey(key);
  }

  /** Entries in all generations. */
  public int size() {
    tick();
    return latest.size() + oldest.size() + retained.size();
  }

  /** Drops everything, retained entries included. */
  public void clear() {
    latest.clear();
    oldest.clear();
    retained.clear();
    schedule.rotatedBySize();
  }

  private static void requireValue(Object key, Object value) {
    if (key == null || value == null) {
      throw new IllegalArgumentException("keys and values must not be null");
    }
  }

  private void tick() {
    schedule.runDue(this::rotate);
  }

  private void rotate() {
    oldest = latest;
    latest = new HashMap<>();
  }
}
