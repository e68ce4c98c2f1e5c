package io.hyperinfer.dht.udx;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * A local network on real UDX sockets (JS {@code createTestnet}): a bootstrapper and persistent nodes on one host
 * (127.0.0.1 by default), every port chosen by the system, each node ready when returned. For integration tests and
 * local tools; never binds the default DHT port. Thread-safe.
 */
public final class UdxTestnet implements AutoCloseable {
  /** How long a node may take to bootstrap on loopback. */
  public static final long READY_WITHIN_SECONDS = 30;

  private final String host;
  private final DhtNode bootstrapper;
  private final List<DhtNode> nodes = new CopyOnWriteArrayList<>();

  private UdxTestnet(String host) {
    this.host = host;
    this.bootstrapper = DhtNode.bootstrapper(UdxRuntime.bind(host, 0), NodeOptions.DEFAULT);
    nodes.add(bootstrapper);
    await(List.of(bootstrapper));
  }

  /** A bootstrapper plus {@code size - 1} persistent nodes on 127.0.0.1. */
  public static UdxTestnet create(int size) {
    return create(size, "127.0.0.1");
  }

  /** A bootstrapper plus {@code size - 1} persistent nodes on {@code host}, started together. */
  public static UdxTestnet create(int size, String host) {
    UdxTestnet t = new UdxTestnet(host);
    try {
      List<DhtNode> started = new ArrayList<>();
      for (int i = 1; i < size; i++) {
        started.add(t.start(UnaryOperator.identity()));
      }
      await(started);
      return t;
    } catch (RuntimeException e) {
      t.close();
      throw e;
    }
  }

  /** A node joining through the bootstrapper (persistent unless {@code tune} says otherwise), ready. */
  public DhtNode add(UnaryOperator<NodeOptions> tune) {
    DhtNode node = start(tune);
    await(List.of(node));
    return node;
  }

  private DhtNode start(UnaryOperator<NodeOptions> tune) {
    NodeOptions options = tune.apply(
        NodeOptions.DEFAULT.withMode(NodeOptions.Mode.PERSISTENT).withBootstrap(bootstrap()));
    DhtNode node = DhtNode.create(UdxRuntime.bind(host, 0), options);
    nodes.add(node);
    return node;
  }

  private static void await(List<DhtNode> started) {
    try {
      CompletableFuture.allOf(started.stream().map(DhtNode::ready).toArray(CompletableFuture[]::new))
          .get(READY_WITHIN_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw DhtException.bindFailed("testnet nodes did not bootstrap", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DhtException.bindFailed("interrupted while bootstrapping", e);
    }
  }

  public DhtNode bootstrapper() {
    return bootstrapper;
  }

  /** Every node, the bootstrapper first. */
  public List<DhtNode> nodes() {
    return Collections.unmodifiableList(nodes);
  }

  /** The bootstrap list to join this network with. */
  public List<HostPort> bootstrap() {
    return List.of(bootstrapper.localAddress());
  }

  @Override
  public void close() {
    for (DhtNode n : nodes) {
      n.close();
    }
  }
}
