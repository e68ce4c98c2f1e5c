package io.hyperinfer.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.AnnounceOptions;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.LookupResult;
import java.util.List;

/**
 * The three DHT queries a joined topic runs (JS {@code dht.announce}, {@code lookup}, {@code lookupAndUnannounce}),
 * as a seam: the swarm runs them on its {@link HyperDht}; a test can watch the options each one gets (the seed nodes
 * carried over from the previous refresh) while still running the real query. Thread-safe.
 */
interface TopicQueries {
  Query<LookupResult> announce(byte[] topic, KeyPair keyPair, List<HostPort> relays, AnnounceOptions options);

  Query<LookupResult> lookup(byte[] topic, QueryOptions options);

  Query<LookupResult> lookupAndUnannounce(byte[] topic, KeyPair keyPair, QueryOptions options);

  static TopicQueries of(HyperDht dht) {
    return new TopicQueries() {
      @Override
      public Query<LookupResult> announce(byte[] topic, KeyPair keyPair, List<HostPort> relays,
          AnnounceOptions options) {
        return dht.announce(topic, keyPair, relays, options);
      }

      @Override
      public Query<LookupResult> lookup(byte[] topic, QueryOptions options) {
        return dht.lookup(topic, options);
      }

      @Override
      public Query<LookupResult> lookupAndUnannounce(byte[] topic, KeyPair keyPair, QueryOptions options) {
        return dht.lookupAndUnannounce(topic, keyPair, options);
      }
    };
  }
}
