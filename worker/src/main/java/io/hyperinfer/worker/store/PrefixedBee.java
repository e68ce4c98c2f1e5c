package io.hyperinfer.worker.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A sub-namespace of any {@link Bee}: keys are stored as {@code prefix 0x00 key}, as Hyperbee's sub does, so any Bee
 * implementation gets {@link Bee#sub} from this class. Thread-safe when the parent is.
 */
public final class PrefixedBee implements Bee {
  private final Bee parent;
  private final byte[] prefix;

  public PrefixedBee(Bee parent, String name) {
    this.parent = parent;
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length == 0) {
      throw new IllegalArgumentException("sub name must not be empty");
    }
    this.prefix = Arrays.copyOf(n, n.length + 1);
  }

  @Override
  public Optional<byte[]> get(byte[] key) {
    return parent.get(full(key));
  }

  @Override
  public void put(byte[] key, byte[] value) {
    parent.put(full(key), value);
  }

  @Override
  public boolean del(byte[] key) {
    return parent.del(full(key));
  }

  @Override
  public Batch batch() {
    Batch inner = parent.batch();
    return new Batch() {
      @Override
      public Batch put(byte[] key, byte[] value) {
        inner.put(full(key), value);
        return this;
      }

      @Override
      public Batch del(byte[] key) {
        inner.del(full(key));
        return this;
      }

      @Override
      public void flush() {
        inner.flush();
      }
    };
  }

  @Override
  public List<Entry> range(RangeOptions o) {
    byte[] gt = o.gt() == null ? null : full(o.gt());
    byte[] gte = o.gt() == null && o.gte() == null ? prefix : (o.gte() == null ? null : full(o.gte()));
    byte[] lt = o.lt() == null && o.lte() == null ? upperBound() : (o.lt() == null ? null : full(o.lt()));
    byte[] lte = o.lte() == null ? null : full(o.lte());
    List<Entry> inParent = parent.range(new RangeOptions(gt, gte, lt, lte, o.reverse(), o.limit()));
    List<Entry> out = new ArrayList<>(inParent.size());
    for (Entry e : inParent) {
      byte[] k = e.key();
      out.add(new Entry(Arrays.copyOfRange(k, prefix.length, k.length), e.value()));
    }
    return out;
  }

  @Override
  public Bee sub(String name) {
    return new PrefixedBee(this, name);
  }

  private byte[] full(byte[] key) {
    byte[] k = Arrays.copyOf(prefix, prefix.length + key.length);
    System.arraycopy(key, 0, k, prefix.length, key.length);
    return k;
  }

  private byte[] upperBound() {
    byte[] end = prefix.clone();
    end[end.length - 1] = 1;
    return end;
  }
}
