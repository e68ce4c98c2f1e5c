package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A local HyperDHT network for tests and tools (JS {@code hyperdht/testnet.js}): a bootstrapper (persistent, with an
 * id from the start, unlike JS's first testnet node) and {@code size - 1} persistent nodes, every one ready
 * (bootstrapped) when returned; {@link #createNode} adds clients. On real UDX sockets on 127.0.0.1 with ports chosen
 * by the system ({@link #create}), or on a simulated network on virtual time ({@link #simulated}). Thread-safe on
 * UDX; confined to the network's driving thread when simulated.
 */
public final class Testnet implements AutoCloseable {
  /** How long a UDX node may take to bootstrap on loopback. */
  public static final long READY_WITHIN_SECONDS = 30;
  /** Virtual time a simulated node may take to bootstrap. */
  public static final long SIM_READY_WITHIN_MS = 120_000;

  private final Function<HyperDhtOptions, HyperDht> start;
  private final Waiter waiter;
  private final HyperDhtOptions base;
  private final HyperDht bootstrapper;
  private final List<HyperDht> nodes = new CopyOnWriteArrayList<>();

  /** Waits for nodes to be ready, however the network runs. */
  @FunctionalInterface
  private interface Waiter {
    void await(CompletableFuture<Void> allReady);
  }

  private Testnet(Function<HyperDhtOptions, HyperDht> start, Function<HyperDhtOptions, HyperDht> startBootstrapper,
      Waiter waiter, HyperDhtOptions base) {
    this.start = start;
    this.waiter = waiter;
    this.base = base;
    this.bootstrapper = startBootstrapper.apply(base);
    nodes.add(bootstrapper);
    waiter.await(bootstrapper.node().ready());
  }

  /** A bootstrapper and {@code size - 1} persistent nodes on 127.0.0.1. */
  public static Testnet create(int size) {
    return create(size, "127.0.0.1");
  }

  /** A bootstrapper and {@code size - 1} persistent nodes on {@code host}, on real UDX sockets. */
  public static Testnet create(int size, String host) {
    HyperDhtOptions base = HyperDhtOptions.DEFAULT.withHost(host).withPort(0);
    return fill(new Testnet(HyperDht::create, o -> HyperDht.bootstrapper(0, host, o), Testnet::awaitReal, base),
        size);
  }

  /** A bootstrapper and {@code size - 1} persistent nodes on {@code network}, each on a fresh simulated host. */
  public static Testnet simulated(SimNetwork network, int size) {
    Waiter waiter = f -> network.await(f, SIM_READY_WITHIN_MS);
    return fill(new Testnet(o -> HyperDht.create(network.runtime(), o, Runnable::run),
        o -> HyperDht.bootstrapper(network.runtime(), o, Runnable::run), waiter, HyperDhtOptions.DEFAULT), size);
  }

  private static Testnet fill(Testnet t, int size) {
    try {
      List<HyperDht> started = new ArrayList<>();
      for (int i = 1; i < size; i++) {
        started.add(t.start(UnaryOperator.identity(), persistent()));
      }
      t.await(started);
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private static UnaryOperator<HyperDhtOptions> persistent() {
    return o -> o.withNode(o.node().withMode(NodeOptions.Mode.PERSISTENT).withFirewalled(false));
  }

  /** A persistent node joining the network (ready); {@code tune} adjusts its options. */
  public HyperDht addPersistent(UnaryOperator<HyperDhtOptions> tune) {
    HyperDht node = start(tune, persistent());
    await(List.of(node));
    return node;
  }

  /** A client node (JS {@code testnet.createNode()}: ephemeral), ready. */
  public HyperDht createNode() {
    return createNode(UnaryOperator.identity());
  }

  /** A node joining the network, ephemeral unless {@code tune} says otherwise, ready. */
  public HyperDht createNode(UnaryOperator<HyperDhtOptions> tune) {
    HyperDht node = start(tune, o -> o.withMode(NodeOptions.Mode.EPHEMERAL));
    await(List.of(node));
    return node;
  }

  private HyperDht start(UnaryOperator<HyperDhtOptions> tune, UnaryOperator<HyperDhtOptions> role) {
    HyperDht node = start.apply(tune.apply(role.apply(base.withBootstrap(bootstrap()))));
    nodes.add(node);
    return node;
  }

  private void await(List<HyperDht> started) {
    waiter.await(CompletableFuture.allOf(started.stream().map(n -> n.node().ready())
        .toArray(CompletableFuture[]::new)));
  }

  private static void awaitReal(CompletableFuture<Void> allReady) {
    try {
      allReady.get(READY_WITHIN_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw DhtException.bindFailed("testnet nodes did not bootstrap", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DhtException.bindFailed("interrupted while bootstrapping", e);
    }
  }

  public HyperDht bootstrapper() {
    return bootstrapper;
  }

  /** Every node, the bootstrapper first, then in the order they were added. */
  public List<HyperDht> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The bootstrap list to join this network with. */
  public List<HostPort> bootstrap() {
    return List.of(bootstrapper.localAddress());
  }

  /** Closes every node, the latest first. */
  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).close();
    }
  }
}
