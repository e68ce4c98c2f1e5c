package io.hyperinfer.worker.net.memory;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.spi.Discovery;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One peer's {@link Discovery} on a {@link MemoryNetwork}'s topic table; answers at once. Thread-safe. */
final class MemoryDiscovery implements Discovery {
  private final MemoryNetwork network;
  private volatile PeerRef self;

  MemoryDiscovery(MemoryNetwork network) {
    this.network = network;
  }

  @Override
  public void open(KeyPair identity) {
    self = new PeerRef(identity.publicKey());
  }

  @Override
  public CompletableFuture<Void> announce(byte[] topicKey) {
    network.announce(topicKey, self);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<Void> unannounce(byte[] topicKey) {
    network.unannounce(topicKey, self);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public CompletableFuture<List<PeerRef>> lookup(byte[] topicKey) {
    return CompletableFuture.completedFuture(network.lookup(topicKey));
  }

  @Override
  public void close() {
    // Announcements stay until unannounced or expired, as HyperDHT records do.
  }
}
