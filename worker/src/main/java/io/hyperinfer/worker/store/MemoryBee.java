package io.hyperinfer.worker.store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/** A bee in a sorted map; a read-write lock makes batches atomic for readers. Thread-safe. */
final class MemoryBee implements Bee {
  private final String name;
  private final MemoryStoreFacility owner;
  private final NavigableMap<byte[], byte[]> map = new TreeMap<>(Arrays::compareUnsigned);
  private final ReadWriteLock lock = new ReentrantReadWriteLock();

  MemoryBee(String name, MemoryStoreFacility owner) {
    this.name = name;
    this.owner = owner;
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    long t0 = System.nanoTime();
    owner.checkOpen();
    lock.readLock().lock();
    try {
      byte[] v = map.get(key);
      return Optional.ofNullable(v == null ? null : v.clone());
    } finally {
      lock.readLock().unlock();
      record("get", t0);
    }
  }

  @Override
  public void put(byte[] key, byte[] value) {
    long t0 = System.nanoTime();
    owner.checkOpen();
    lock.writeLock().lock();
    try {
      map.put(key.clone(), value.clone());
    } finally {
      lock.writeLock().unlock();
      record("put", t0);
    }
  }

  @Override
  public boolean del(byte[] key) {
    long t0 = System.nanoTime();
    owner.checkOpen();
    lock.writeLock().lock();
    try {
      return map.remove(key) != null;
    } finally {
      lock.writeLock().unlock();
      record("del", t0);
    }
  }

  @Override
  public Batch batch() {
    owner.checkOpen();
    return new MemoryBatch(this);
  }

  void apply(List<byte[][]> ops) {
    long t0 = System.nanoTime();
    owner.checkOpen();
    lock.writeLock().lock();
    try {
      for (byte[][] op : ops) {
        if (op[1] == null) {
          map.remove(op[0]);
        } else {
          map.put(op[0], op[1]);
        }
      }
    } finally {
      lock.writeLock().unlock();
      record("batch", t0);
    }
  }

  @Override
  public List<Entry> range(RangeOptions o) {
    long t0 = System.nanoTime();
    owner.checkOpen();
    lock.readLock().lock();
    try {
      NavigableMap<byte[], byte[]> view = bounded(o);
      if (o.reverse()) {
        view = view.descendingMap();
      }
      List<Entry> out = new ArrayList<>();
      for (Map.Entry<byte[], byte[]> e : view.entrySet()) {
        if (o.limit() >= 0 && out.size() >= o.limit()) {
          break;
        }
        out.add(new Entry(e.getKey(), e.getValue()));
      }
      return out;
    } finally {
      lock.readLock().unlock();
      record("range", t0);
    }
  }

  private NavigableMap<byte[], byte[]> bounded(RangeOptions o) {
    byte[] lo = o.gt() != null ? o.gt() : o.gte();
    boolean loInclusive = o.gt() == null;
    byte[] hi = o.lt() != null ? o.lt() : o.lte();
    boolean hiInclusive = o.lt() == null;
    if (lo != null && hi != null) {
      int c = Arrays.compareUnsigned(lo, hi);
      if (c > 0 || (c == 0 && !(loInclusive && hiInclusive))) {
        return new TreeMap<>(Arrays::compareUnsigned);
      }
      return map.subMap(lo, loInclusive, hi, hiInclusive);
    }
    if (lo != null) {
      return map.tailMap(lo, loInclusive);
    }
    return hi != null ? map.headMap(hi, hiInclusive) : map;
  }

  @Override
  public Bee sub(String prefix) {
    return new PrefixedBee(this, prefix);
  }

  private void record(String op, long t0) {
    owner.metrics().facility("store", "bee." + op, Duration.ofNanos(System.nanoTime() - t0));
  }

  @Override
  public String toString() {
    return "MemoryBee[" + name + "]";
  }
}
