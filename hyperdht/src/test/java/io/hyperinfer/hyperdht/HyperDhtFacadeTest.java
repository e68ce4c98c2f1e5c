package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.QueryOptions;
import io.hyperinfer.hyperdht.wire.Peer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The facade's argument checks, options and lifecycle, on a simulated network. */
class HyperDhtFacadeTest {
  /** A local server that never answers. */
  private static final LocalServer SILENT = new LocalServer() {
    @Override
    public java.util.concurrent.CompletionStage<Answer> onHandshake(io.hyperinfer.hyperdht.wire.Handshake h,
        io.hyperinfer.dht.IncomingRequest r) {
      return null;
    }

    @Override
    public java.util.concurrent.CompletionStage<Answer> onHolepunch(io.hyperinfer.hyperdht.wire.Holepunch h,
        io.hyperinfer.dht.IncomingRequest r) {
      return null;
    }
  };

  private static DhtException.Code code(Runnable call) {
    return assertThrows(DhtException.class, call::run).code();
  }

  @Test
  void shouldRejectKeysTopicsAndValuesOfTheWrongShape() {
    SimNet net = new SimNet(31, 3);
    HyperDht dht = net.testnet.createNode();
    KeyPair keys = HyperDhtCrypto.keyPair();

    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> dht.lookup(new byte[5])));
    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> dht.findPeer(new byte[31])));
    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> dht.announce(null, keys, List.of())));
    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> dht.immutablePut(null)));
    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> dht.immutableGet(new byte[1])));
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        assertInstanceOf(DhtException.class, net.failure(dht.mutablePut(keys, new byte[1], -1))).code());
    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> new AnnounceOptions(-1, false,
        QueryOptions.DEFAULT)));
    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> new MutableGetOptions(-1, true, null,
        QueryOptions.DEFAULT)));
    assertThrows(IllegalArgumentException.class, () -> HyperDhtOptions.DEFAULT.withPort(70_000));
  }

  @Test
  void shouldRefuseABootstrapperOnTheWildcardAddress() {
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        code(() -> HyperDht.bootstrapper(49737, "0.0.0.0", HyperDhtOptions.DEFAULT)));
  }

  @Test
  void shouldFailBadArgumentWhenTheHostIsNotAnIpv4Literal() {
    assertEquals(DhtException.Code.BAD_ARGUMENT, code(() -> HyperDht.create(HyperDhtOptions.DEFAULT.withHost("::1"))));
    assertEquals(DhtException.Code.BAD_ARGUMENT,
        code(() -> HyperDht.create(HyperDhtOptions.DEFAULT.withHost("localhost"))), "no name is resolved");
  }

  @Test
  void shouldRefuseAListenWithBadArgumentWhenEveryRouteOfTheNodeIsPinned() {
    io.hyperinfer.dht.sim.SimNetwork network = new io.hyperinfer.dht.sim.SimNetwork(37);
    HyperDht dht = HyperDht.create(network.runtime(), HyperDhtOptions.DEFAULT.withCaches(
        CacheOptions.of(2, java.time.Duration.ofMinutes(20))), Runnable::run);
    for (int i = 0; i < 2; i++) {
      network.await(dht.listen(new Peer(HyperDhtCrypto.keyPair().publicKey(), List.of()), SILENT), 1_000);
    }

    java.util.concurrent.CompletableFuture<Void> third =
        dht.listen(new Peer(HyperDhtCrypto.keyPair().publicKey(), List.of()), SILENT);

    network.runFor(third::isDone, 1_000);
    Throwable refused = assertThrows(java.util.concurrent.CompletionException.class, third::join).getCause();
    assertEquals(DhtException.Code.BAD_ARGUMENT, assertInstanceOf(DhtException.class, refused).code());
    assertEquals(2, dht.stats().localServers(), "the two servers keep their routes");
  }

  @Test
  void shouldCarryEveryOptionWhenCopiedWithOneChanged() {
    KeyPair keys = HyperDhtCrypto.keyPair();
    CacheOptions caches = CacheOptions.of(100, java.time.Duration.ofMinutes(1));
    HyperDhtOptions o = HyperDhtOptions.DEFAULT.withHost("127.0.0.1").withPort(5).withAnyPort(false)
        .withKeyPair(keys).withCaches(caches).withMode(NodeOptions.Mode.EPHEMERAL);
    assertEquals(new HyperDhtOptions(NodeOptions.DEFAULT.withMode(NodeOptions.Mode.EPHEMERAL), "127.0.0.1", 5, false,
        keys, caches), o);
  }

  @Test
  void shouldUseTheGivenKeyPairAndHaveNoUdxWhenSimulated() {
    SimNet net = new SimNet(32, 2);
    KeyPair keys = HyperDhtCrypto.keyPair();
    HyperDht dht = net.testnet.createNode(o -> o.withKeyPair(keys));
    assertEquals(keys, dht.defaultKeyPair());
    assertEquals(Optional.empty(), dht.udx());
    assertEquals(Optional.empty(), dht.udxRuntime());
    assertTrue(dht.toString().startsWith("HyperDht[DhtNode["));
  }

  @Test
  void shouldFailNewWorkAndStillReportStatsWhenClosed() {
    SimNet net = new SimNet(33, 2);
    HyperDht dht = net.testnet.createNode();
    dht.close();
    net.network.runFor(1000);

    Throwable refused = net.failure(dht.listen(new Peer(HyperDhtCrypto.keyPair().publicKey(), List.of()), SILENT));
    assertEquals(DhtException.Code.NODE_DESTROYED, assertInstanceOf(DhtException.class, refused).code());
    assertEquals(0, dht.stats().localServers());
    assertEquals(DhtException.Code.NODE_DESTROYED, assertInstanceOf(DhtException.class,
        net.failure(dht.lookup(new byte[32]).finished())).code());
  }

  @Test
  void shouldFailTheWalkWithRequestDestroyedWhenStopped() {
    SimNet net = new SimNet(34, 4);
    HyperDht dht = net.testnet.createNode();
    io.hyperinfer.dht.Query<LookupResult> q = dht.lookup(new byte[32]);
    q.destroy();
    assertEquals(DhtException.Code.REQUEST_DESTROYED,
        assertInstanceOf(DhtException.class, net.failure(q.finished())).code());
  }

  @Test
  void shouldRequireAValueInAServersAnswer() {
    assertThrows(IllegalArgumentException.class, () -> new LocalServer.Answer(null, null));
  }
}
