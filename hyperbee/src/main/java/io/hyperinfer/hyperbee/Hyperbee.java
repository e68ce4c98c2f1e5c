package io.hyperinfer.hyperbee;

import io.hyperinfer.hypercore.Hypercore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * An append-only B-tree over a {@link Hypercore} in hyperbee 2.x's block format: block 0 is the header, every later
 * block one put or delete plus the tree nodes it changed. Views: the live bee, {@link #sub} namespaces,
 * {@link #checkout} of an old version, {@link #snapshot}. Thread-safe: one writer at a time (per core), readers
 * concurrently.
 *
 * @param <K> key type
 * @param <V> value type
 */
public final class Hyperbee<K, V> implements AutoCloseable {
  private static final byte SEPARATOR = 0;

  private final BlockStore store;
  private final Encoding<K> keys;
  private final Encoding<V> values;
  private final byte[] prefix;
  private final long checkout;

  private Hyperbee(BlockStore store, Encoding<K> keys, Encoding<V> values, byte[] prefix, long checkout) {
    this.store = store;
    this.keys = keys;
    this.values = values;
    this.prefix = prefix;
    this.checkout = checkout;
  }

  /** A bee with binary keys and values over {@code core}. */
  public static Hyperbee<byte[], byte[]> open(Hypercore core) {
    return open(core, Encoding.BINARY, Encoding.BINARY);
  }

  /** A bee over {@code core}; an empty core gets its header with the first write. DECODING_ERROR if not a bee. */
  public static <K, V> Hyperbee<K, V> open(Hypercore core, Encoding<K> keys, Encoding<V> values) {
    if (core.length() > 0 && !BeeBlock.isHeader(core.get(0))) {
      throw BeeException.decoding("block 0 of the core is not a hyperbee header");
    }
    return new Hyperbee<>(new BlockStore(core, false), keys, values, new byte[0], -1);
  }

  /** The version this view reads: the core length (live) or the checked-out length. */
  public long version() {
    return checkout >= 0 ? checkout : store.core.length();
  }

  public boolean writable() {
    return checkout < 0 && store.core.writable();
  }

  public Optional<Entry<K, V>> get(K key) {
    return Optional.ofNullable(tree().get(encodeKey(key))).map(this::entry);
  }

  /** Puts {@code key}; false when it already had this value. */
  public boolean put(K key, V value) {
    return put(key, value, Cas.always());
  }

  /** Puts {@code key} when {@code cas} accepts the current entry (or there is none); returns whether it wrote. */
  public boolean put(K key, V value, Cas<K, V> cas) {
    try (Batch<K, V> batch = batch()) {
      boolean wrote = batch.put(key, value, cas);
      batch.flush();
      return wrote;
    }
  }

  /** Deletes {@code key}; false when it was absent. */
  public boolean del(K key) {
    return del(key, Cas.always());
  }

  /** Deletes {@code key} when {@code cas} accepts the current entry; returns whether it wrote. */
  public boolean del(K key, Cas<K, V> cas) {
    try (Batch<K, V> batch = batch()) {
      boolean wrote = batch.del(key, cas);
      batch.flush();
      return wrote;
    }
  }

  /** An atomic batch of writes; close it (flush to commit). */
  public Batch<K, V> batch() {
    if (checkout >= 0) {
      throw new BeeException(BeeException.Code.NOT_WRITABLE, "a checkout is read-only");
    }
    return new Batch<>(this, store);
  }

  /** Entries inside {@code range}, in key order (or reverse), at most {@code limit}. */
  public List<Entry<K, V>> range(Range<K> range) {
    List<Entry<K, V>> out = new ArrayList<>();
    forEach(range, out::add);
    return out;
  }

  /** Streams entries inside {@code range} to {@code visitor} until it returns false or the range ends. */
  public void forEach(Range<K> range, Predicate<Entry<K, V>> visitor) {
    int[] left = {range.limit()};
    if (left[0] == 0) {
      return;
    }
    BTree tree = tree();
    tree.walk(bounds(range), range.reverse(),
        ref -> visitor.test(entry(store.block(ref.seq))) && (left[0] < 0 || --left[0] > 0));
  }

  /** Entries whose value differs between this version and {@code otherVersion}, in key order. */
  public List<DiffEntry<K, V>> diff(long otherVersion, Range<K> range) {
    List<BeeBlock> mine = blocks(tree(), range);
    List<BeeBlock> theirs = blocks(new BTree(store, otherVersion), range);
    List<DiffEntry<K, V>> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < mine.size() || j < theirs.size()) {
      int c = i == mine.size() ? 1 : j == theirs.size() ? -1
          : Arrays.compareUnsigned(mine.get(i).key(), theirs.get(j).key());
      if (c == 0) {
        BeeBlock a = mine.get(i++);
        BeeBlock b = theirs.get(j++);
        if (a.seq() != b.seq() && !Arrays.equals(a.value(), b.value())) {
          out.add(new DiffEntry<>(entry(a), entry(b)));
        }
      } else if (c < 0) {
        out.add(new DiffEntry<>(entry(mine.get(i++)), null));
      } else {
        out.add(new DiffEntry<>(null, entry(theirs.get(j++))));
      }
    }
    return out;
  }

  /** A namespace: keys stored as this view's prefix + {@code name} + a 0 byte, same encodings. */
  public Hyperbee<K, V> sub(String name) {
    return sub(name, keys, values);
  }

  /** A namespace with its own encodings. */
  public <K2, V2> Hyperbee<K2, V2> sub(String name, Encoding<K2> keyEncoding, Encoding<V2> valueEncoding) {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] p = Arrays.copyOf(prefix, prefix.length + n.length + 1);
    System.arraycopy(n, 0, p, prefix.length, n.length);
    p[p.length - 1] = SEPARATOR;
    return new Hyperbee<>(store, keyEncoding, valueEncoding, p, checkout);
  }

  /** A read-only view of {@code version} (a core length this bee has had). */
  public Hyperbee<K, V> checkout(long version) {
    if (version < 0 || version > store.core.length()) {
      throw BeeException.badArgument("version " + version + " is outside 0.." + store.core.length());
    }
    return new Hyperbee<>(store, keys, values, prefix, version);
  }

  /** A read-only view frozen at the current version that later truncations cannot change; close it. */
  public Hyperbee<K, V> snapshot() {
    Hypercore frozen = store.core.snapshot();
    return new Hyperbee<>(new BlockStore(frozen, true), keys, values, prefix, frozen.length());
  }

  /** Releases a snapshot's core session; a no-op for other views (the caller owns the core). */
  @Override
  public void close() {
    store.close();
  }

  private List<BeeBlock> blocks(BTree tree, Range<K> range) {
    List<BeeBlock> out = new ArrayList<>();
    tree.walk(bounds(range), false, ref -> out.add(store.block(ref.seq)));
    return out;
  }

  private BTree tree() {
    return new BTree(store, version());
  }

  private BTree.Bounds bounds(Range<K> range) {
    byte[] lower = prefix.length == 0 ? null : prefix;
    boolean lowerInclusive = true;
    if (range.gt() != null) {
      lower = encodeKey(range.gt());
      lowerInclusive = false;
    } else if (range.gte() != null) {
      lower = encodeKey(range.gte());
    }
    byte[] upper = prefix.length == 0 ? null : bump(prefix);
    boolean upperInclusive = false;
    if (range.lt() != null) {
      upper = encodeKey(range.lt());
    } else if (range.lte() != null) {
      upper = encodeKey(range.lte());
      upperInclusive = true;
    }
    return new BTree.Bounds(lower, lowerInclusive, upper, upperInclusive);
  }

  private static byte[] bump(byte[] key) {
    byte[] out = key.clone();
    out[out.length - 1]++;
    return out;
  }

  byte[] encodeKey(K key) {
    if (key == null) {
      throw BeeException.badArgument("key is null");
    }
    byte[] k = keys.encode(key);
    if (prefix.length == 0) {
      return k;
    }
    byte[] out = Arrays.copyOf(prefix, prefix.length + k.length);
    System.arraycopy(k, 0, out, prefix.length, k.length);
    return out;
  }

  byte[] encodeValue(V value) {
    if (value == null) {
      throw BeeException.badArgument("value is null (use del)");
    }
    return values.encode(value);
  }

  Entry<K, V> entry(BeeBlock block) {
    byte[] k = block.key();
    if (k.length < prefix.length || !Arrays.equals(k, 0, prefix.length, prefix, 0, prefix.length)) {
      throw BeeException.decoding("key outside this namespace");
    }
    K key = keys.decode(Arrays.copyOfRange(k, prefix.length, k.length));
    V value = block.value() == null ? null : values.decode(block.value());
    return new Entry<>(block.seq(), key, value);
  }
}
