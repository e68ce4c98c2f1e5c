package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.QueryOptions;
import java.util.function.Predicate;

/**
 * Options of {@link HyperDht#mutableGet} (JS {@code seq}, {@code latest}, {@code refresh}).
 *
 * @param seq the lowest acceptable seq (0)
 * @param latest true: wait for the whole walk and keep the highest seq; false: the first valid value
 * @param refresh null, or a predicate: when it accepts the value found, that value is put again to the closest nodes
 * @param query the walk's options
 */
public record MutableGetOptions(long seq, boolean latest, Predicate<MutableValue> refresh, QueryOptions query) {
  public static final MutableGetOptions DEFAULT = new MutableGetOptions(0, true, null, QueryOptions.DEFAULT);

  public MutableGetOptions {
    if (seq < 0 || query == null) {
      throw DhtException.badArgument("seq must be >= 0 and query options are required");
    }
  }
}
