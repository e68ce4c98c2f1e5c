package io.hyperinfer.services.testkit;

import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.processor.engine.minilm.MiniLmModel;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A whole network of services in this JVM for integration suites, the seed's "test workers" helper for the services:
 * gateways (any worker the suite builds, typically its own {@code GatewayWorker}), the real Auth allowlisting the
 * gateways started before it, and processors accepting infer and embed only from those gateways, all on one
 * {@link TestNetwork} and stopped together by {@link #close()}. Start gateways first. Not thread-safe: use from the
 * test thread.
 */
public final class ServiceNetwork implements AutoCloseable {
  private final TestNetwork network;
  private final TestWorkers workers = new TestWorkers();
  private final List<Worker> gateways = new ArrayList<>();
  private final List<ProcessorWorker> processors = new ArrayList<>();

  private ServiceNetwork(TestNetwork network) {
    this.network = network;
  }

  /** An empty network on real time, its faults drawn from {@code seed}. */
  public static ServiceNetwork realTime(long seed) {
    return new ServiceNetwork(TestNetwork.realTime(seed));
  }

  public TestNetwork network() {
    return network;
  }

  public TestWorkers workers() {
    return workers;
  }

  /** Facilities for one more worker on this network (fresh RAM storage). */
  public Facilities facilities() {
    return network.facilities();
  }

  /** Starts any worker here and waits until it is ready; stopped by {@link #close()}. */
  public <W extends Worker> W start(W worker) {
    return workers.start(worker);
  }

  /** Starts {@code gateway} as one of this network's gateways: Auth and processors started later trust it. */
  public <G extends Worker> G gateway(G gateway) {
    gateways.add(workers.start(gateway));
    return gateway;
  }

  /** The public keys (hex) of the gateways started so far. */
  public Set<String> gatewayKeys() {
    Set<String> keys = new LinkedHashSet<>();
    gateways.forEach(g -> keys.add(HexFormat.of().formatHex(g.identity().publicKey())));
    return keys;
  }

  /** The real Auth, cheapest password hashing, allowlisting every gateway started so far. */
  public AuthWorker auth() {
    AuthSettings settings = AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS)
        .withGateways(gatewayKeys());
    return workers.start(new AuthWorker(TestDataFactory.context("auth"), Config.empty(), facilities(), settings));
  }

  /** A processor with {@code processor.engine} = {@code engineJson}, no embedding engine beyond the default. */
  public ProcessorWorker processor(String engineJson) {
    return processor(engineJson, "{}");
  }

  /**
   * A processor with {@code processor.engine} = {@code engineJson} and {@code processor.embedding} =
   * {@code embeddingJson}, accepting infer and embed only from the gateways started so far; drains in 200 ms.
   */
  public ProcessorWorker processor(String engineJson, String embeddingJson) {
    if (embeddingJson.contains("minilm")) {
      // ~90 MB of weights, loaded once per JVM before the worker, so its start stays within the ready timeout
      MiniLmModel.shared();
    }
    String allowed = gatewayKeys().stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(","));
    String json = "{\"worker\":{\"drainTimeout\":\"200ms\"},\"processor\":{\"allowedGateways\":[" + allowed
        + "],\"engine\":" + engineJson + ",\"embedding\":" + embeddingJson + "}}";
    ProcessorWorker processor = workers.start(new ProcessorWorker(TestDataFactory.context("processor"),
        Config.of(Json.parse(json)), facilities()));
    processors.add(processor);
    return processor;
  }

  /** The processors started here, oldest first. */
  public List<ProcessorWorker> processors() {
    return List.copyOf(processors);
  }

  /** Stops every worker started here, newest first. */
  @Override
  public void close() {
    workers.stopAll();
  }
}
