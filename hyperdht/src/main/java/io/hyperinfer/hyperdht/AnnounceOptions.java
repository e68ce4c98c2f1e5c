package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.QueryOptions;

/**
 * Options of {@link HyperDht#announce} (JS {@code bump}, {@code clear}, and the walk's own options).
 *
 * @param bump a bump for the topic (0: none); storing nodes keep the highest one that is at most 60 s ahead of them
 * @param clear unannounce first, as {@link HyperDht#lookupAndUnannounce}
 * @param query the walk's options
 */
public record AnnounceOptions(long bump, boolean clear, QueryOptions query) {
  public static final AnnounceOptions DEFAULT = new AnnounceOptions(0, false, QueryOptions.DEFAULT);

  public AnnounceOptions {
    if (bump < 0 || query == null) {
      throw DhtException.badArgument("bump must be >= 0 and query options are required");
    }
  }
}
