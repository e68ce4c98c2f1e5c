package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.MutableGetOptions;
import io.hyperinfer.hyperdht.MutableValue;
import io.hyperinfer.hyperdht.PutResult;
import io.hyperinfer.network.NetworkException;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.RosterBook;
import io.hyperinfer.network.RosterSource;
import io.hyperinfer.network.SignedRoster;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A network's roster as a HyperDHT mutable record: stored under {@code hash(network public key)}, signed by the
 * network key (the DHT checks that signature), with the roster's seq as the record's seq, so DHT nodes themselves
 * refuse to replace a roster with an older one. The value is the {@link SignedRoster} encoding, whose own signature
 * the {@link RosterBook} checks again. Fetches re-put the record they find to the closest nodes (JS {@code mutableGet}
 * with {@code refresh}), so it outlives the operator's last put while workers run. A worker fetches through its
 * {@link SwarmNetFacility}'s own node ({@link SwarmNetFacility#rosters}); the operator's tool publishes with a node of
 * its own. Thread-safe.
 */
public final class DhtRosters implements RosterSource {
  private final HyperDht dht;
  private final NetworkKey network;
  private final AtomicLong malformed = new AtomicLong();

  public DhtRosters(HyperDht dht, NetworkKey network) {
    this.dht = dht;
    this.network = network;
  }

  /** Publishes {@code roster}; needs the operator's key. Completes with the DHT's put result. */
  public CompletableFuture<PutResult> publish(SignedRoster roster) {
    if (!roster.verify(network.hex())) {
      return CompletableFuture.failedFuture(new NetworkException(NetworkException.Code.FORGED,
          "refusing to publish a roster not signed by network " + network.hex()));
    }
    return network.keyPair()
        .map(kp -> dht.mutablePut(kp, roster.encode(), roster.roster().seq()))
        .orElseGet(() -> CompletableFuture.failedFuture(new NetworkException(NetworkException.Code.NO_SECRET_KEY,
            "publishing a roster needs the operator's key of network " + network.hex())));
  }

  @Override
  public CompletableFuture<Optional<SignedRoster>> fetch(long minSeq) {
    MutableGetOptions options = new MutableGetOptions(Math.max(0, minSeq), true, this::worthRefreshing,
        QueryOptions.DEFAULT);
    return dht.mutableGet(network.publicKey(), options).thenApply(found -> found.flatMap(this::decode));
  }

  /** Values found on the DHT that were not signed rosters of this network (a hostile or broken operator tool). */
  public long malformed() {
    return malformed.get();
  }

  private boolean worthRefreshing(MutableValue value) {
    return decodeQuietly(value).filter(r -> r.verify(network.hex())).isPresent();
  }

  private Optional<SignedRoster> decode(MutableValue value) {
    Optional<SignedRoster> roster = decodeQuietly(value);
    if (roster.isEmpty()) {
      malformed.incrementAndGet();
    }
    return roster;
  }

  private static Optional<SignedRoster> decodeQuietly(MutableValue value) {
    try {
      SignedRoster roster = SignedRoster.decode(value.value());
      return roster.roster().seq() == value.seq() ? Optional.of(roster) : Optional.empty();
    } catch (NetworkException e) {
      return Optional.empty();
    }
  }
}
