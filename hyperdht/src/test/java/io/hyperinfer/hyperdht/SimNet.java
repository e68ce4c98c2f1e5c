package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.dht.sim.SimNetwork;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A HyperDHT testnet on a simulated network, for unit tests on virtual time. Confined to the test thread. */
final class SimNet {
  static final long WAIT_MS = 120_000;
  final SimNetwork network;
  final Testnet testnet;

  SimNet(long seed, int size) {
    this.network = new SimNetwork(seed);
    this.testnet = Testnet.simulated(network, size);
  }

  <T> T await(CompletableFuture<T> f) {
    return network.await(f, WAIT_MS);
  }

  <T> QueryResult<T> await(Query<T> q) {
    return await(q.finished());
  }

  /** The failure of {@code f}, unwrapped. */
  Throwable failure(CompletableFuture<?> f) {
    network.runFor(f::isDone, WAIT_MS);
    try {
      f.join();
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got " + f.join());
  }
}
