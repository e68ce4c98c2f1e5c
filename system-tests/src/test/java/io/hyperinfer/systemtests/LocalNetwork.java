package io.hyperinfer.systemtests;

import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.store.DiskStoreFacility;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.memory.MemoryNetFacility;
import io.hyperinfer.worker.testkit.TestConfigs;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A whole network in this process: real Gateway, Auth, Processor and Client workers on the in-memory network, each
 * worker with its own on-disk store (Hyperbee on Hypercore) under {@code root}.
 */
final class LocalNetwork implements AutoCloseable {
  static final String MODEL = "builtin-echo";
  /** The e2e tier's settings (test-configs/common.json and e2e.json): hashing cost, drain and start timeouts, seed. */
  static final Config E2E = TestConfigs.load(TestConfigs.Tier.E2E);

  final TestNetwork net = TestNetwork.realTime(TestConfigs.networkSeed(E2E, "e2e-network"));
  final TestWorkers workers = new TestWorkers(TestConfigs.workerStart(E2E));
  final List<GatewayWorker> gateways = new ArrayList<>();
  final List<ProcessorWorker> processors = new ArrayList<>();
  /** Each gateway's own meters, to see which gateway served what. */
  final List<SimpleMeterRegistry> gatewayMetrics = new ArrayList<>();
  private final Path root;
  private final AtomicInteger names = new AtomicInteger();
  private String allowedGateways = "";

  private LocalNetwork(Path root) {
    this.root = root;
  }

  /** {@code gatewayCount} gateways configured by {@code gatewayJson}, Auth, and one processor per engine config. */
  static LocalNetwork start(Path root, int gatewayCount, String gatewayJson, String... engines) {
    Awaitility.setDefaultTimeout(TestConfigs.await(E2E));
    LocalNetwork n = new LocalNetwork(root);
    for (int i = 0; i < gatewayCount; i++) {
      SimpleMeterRegistry metrics = new SimpleMeterRegistry();
      n.gatewayMetrics.add(metrics);
      n.gateways.add(n.workers.start(new GatewayWorker(TestDataFactory.context("gateway"),
          TestConfigs.with(E2E, gatewayJson), n.facilities("gateway").withMetrics(metrics))));
    }
    Set<String> keys = n.gateways.stream().map(g -> HexFormat.of().formatHex(g.publicKey()))
        .collect(Collectors.toSet());
    n.workers.start(new AuthWorker(TestDataFactory.context("auth"), E2E, n.facilities("auth"),
        AuthSettings.fromConfig(E2E).withGateways(keys)));
    n.allowedGateways = keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(","));
    for (String engine : engines) {
      n.addProcessor(engine);
    }
    return n;
  }

  ProcessorWorker addProcessor(String engine) {
    ProcessorWorker p = workers.start(new ProcessorWorker(TestDataFactory.context("processor"), TestConfigs.with(E2E,
        "{\"processor\":{\"allowedGateways\":[" + allowedGateways + "],\"engine\":" + engine + "}}"),
        facilities("processor")));
    processors.add(p);
    return p;
  }

  /** A fresh store directory per worker: its state survives only on disk. */
  Facilities facilities(String kind) {
    Path dir = root.resolve(kind + "-" + names.incrementAndGet());
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Facilities.of(new MemoryNetFacility(net.network()), new DiskStoreFacility(dir)).withClock(net.clock());
  }

  /** How many {@code method} calls gateway {@code index} has answered, by its own RPC server meters. */
  long served(int index, String method) {
    return gatewayMetrics.get(index).find(RpcMetrics.SERVER).tag("method", method).timers().stream()
        .mapToLong(Timer::count).sum();
  }

  ClientWorker client() {
    return workers.start(new ClientWorker(TestDataFactory.context("client"), E2E, facilities("client")));
  }

  /** A client with a fresh account, logged in, holding a new API key. */
  ClientWorker account() {
    ClientWorker c = client();
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    c.register(email, password);
    c.login(email, password);
    c.createApiKey("system-test");
    return c;
  }

  /** Requests {@code p} is running now, asked over the network like a gateway would. */
  int inFlight(ProcessorWorker p) {
    if (probe == null) {
      probe = workers.start(new Probe(facilities("probe")));
    }
    return probe.status(p.publicKey()).path("inFlight").asInt();
  }

  private Probe probe;

  /** A bare worker that asks processors for their status. */
  static final class Probe extends Worker {
    Probe(Facilities f) {
      super(TestDataFactory.context("probe"), Config.empty(), f);
    }

    @Override
    protected void onStart() {}

    com.fasterxml.jackson.databind.JsonNode status(byte[] key) {
      return net().request(key, "status", Json.object()).join();
    }
  }

  @Override
  public void close() {
    workers.stopAll();
  }
}
