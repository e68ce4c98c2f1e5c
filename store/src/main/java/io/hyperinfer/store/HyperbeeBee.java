package io.hyperinfer.store;

import io.hyperinfer.hyperbee.Hyperbee;
import io.hyperinfer.hyperbee.Range;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.store.Batch;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.Entry;
import io.hyperinfer.worker.store.PrefixedBee;
import io.hyperinfer.worker.store.RangeOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** A worker {@link Bee} backed by a Hyperbee with binary keys and values. Thread-safe (Hyperbee serialises writers). */
final class HyperbeeBee implements Bee {
  private final String name;
  private final Hyperbee<byte[], byte[]> bee;
  private final Hypercore core;
  private final DiskStoreFacility owner;

  HyperbeeBee(String name, Hyperbee<byte[], byte[]> bee, Hypercore core, DiskStoreFacility owner) {
    this.name = name;
    this.bee = bee;
    this.core = core;
    this.owner = owner;
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return timed("get", () -> bee.get(key).map(io.hyperinfer.hyperbee.Entry::value));
  }

  @Override
  public void put(byte[] key, byte[] value) {
    timed("put", () -> bee.put(key, value));
  }

  @Override
  public boolean del(byte[] key) {
    return timed("del", () -> bee.del(key));
  }

  @Override
  public Batch batch() {
    owner.checkOpen();
    return new HyperbeeBatch(this);
  }

  /** Applies collected writes as one atomic Hyperbee batch (one core append). */
  void apply(List<byte[][]> ops) {
    timed("batch", () -> {
      try (io.hyperinfer.hyperbee.Batch<byte[], byte[]> b = bee.batch()) {
        for (byte[][] op : ops) {
          if (op[1] == null) {
            b.del(op[0]);
          } else {
            b.put(op[0], op[1]);
          }
        }
        return b.flush();
      }
    });
  }

  @Override
  public List<Entry> range(RangeOptions o) {
    Range<byte[]> r = Range.<byte[]>all();
    r = o.gt() != null ? r.gt(o.gt()) : o.gte() != null ? r.gte(o.gte()) : r;
    r = o.lt() != null ? r.lt(o.lt()) : o.lte() != null ? r.lte(o.lte()) : r;
    Range<byte[]> range = (o.reverse() ? r.reversed() : r).limit(o.limit());
    return timed("range", () -> bee.range(range).stream().map(e -> new Entry(e.key(), e.value())).toList());
  }

  @Override
  public Bee sub(String prefix) {
    return new PrefixedBee(this, prefix);
  }

  void close() {
    bee.close();
    core.close();
  }

  private <T> T timed(String op, Supplier<T> body) {
    owner.checkOpen();
    long t0 = System.nanoTime();
    try {
      return body.get();
    } catch (WorkerException e) {
      throw e;
    } catch (RuntimeException e) {
      throw WorkerException.storeFailure("bee '" + name + "' " + op + " failed: " + e.getMessage(), e);
    } finally {
      owner.metrics().facility("store", "bee." + op, Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  @Override
  public String toString() {
    return "HyperbeeBee[" + name + "]";
  }
}
