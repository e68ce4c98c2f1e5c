package io.hyperinfer.client;

import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** A whole in-process network: gateways, the real Auth, processors on the builtin engine, clients. */
final class Network implements AutoCloseable {
  final TestNetwork net = TestNetwork.realTime(11);
  final TestWorkers workers = new TestWorkers();
  final List<GatewayWorker> gateways = new ArrayList<>();
  final List<ProcessorWorker> processors = new ArrayList<>();

  /** {@code gatewayCount} gateways with {@code gatewayJson}, Auth, and one processor per engine config. */
  static Network start(int gatewayCount, String gatewayJson, String... engines) {
    return startWith(gatewayCount, gatewayJson, "{}", engines);
  }

  /** As {@link #start}, every processor also with {@code processor.embedding} = {@code embeddingJson}. */
  static Network startWith(int gatewayCount, String gatewayJson, String embeddingJson, String... engines) {
    if (embeddingJson.contains("minilm")) {
      // ~90 MB of weights, once per JVM: loaded before the workers so their start stays within its timeout
      io.hyperinfer.processor.engine.minilm.MiniLmModel.shared();
    }
    Network n = new Network();
    for (int i = 0; i < gatewayCount; i++) {
      n.gateways.add(n.workers.start(new GatewayWorker(TestDataFactory.context("gateway"),
          Config.of(Json.parse(gatewayJson)), n.net.facilities())));
    }
    Set<String> keys = n.gateways.stream().map(g -> HexFormat.of().formatHex(g.publicKey()))
        .collect(Collectors.toSet());
    n.workers.start(new AuthWorker(TestDataFactory.context("auth"), Config.empty(), n.net.facilities(),
        AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS).withGateways(keys)));
    String allowed = keys.stream().map(k -> "\"" + k + "\"").collect(Collectors.joining(","));
    for (String engine : engines) {
      n.processors.add(n.workers.start(new ProcessorWorker(TestDataFactory.context("processor"), Config.of(Json.parse(
          "{\"worker\":{\"drainTimeout\":\"200ms\"},\"processor\":{\"allowedGateways\":[" + allowed + "],\"engine\":"
              + engine + ",\"embedding\":" + embeddingJson + "}}")), n.net.facilities())));
    }
    return n;
  }

  ClientWorker client() {
    return workers.start(new ClientWorker(TestDataFactory.context("client"), Config.empty(), net.facilities()));
  }

  /** A client with a fresh account, logged in, holding a new API key. */
  ClientWorker account() {
    ClientWorker c = client();
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    c.register(email, password);
    c.login(email, password);
    c.createApiKey("test");
    return c;
  }

  /** Requests a processor is running now, asked over the network. */
  int inFlight(ProcessorWorker p) {
    if (probe == null) {
      probe = workers.start(new Probe(net.facilities()));
    }
    return probe.status(p.publicKey()).path("inFlight").asInt();
  }

  private Probe probe;

  /** A bare worker that asks processors for their status. */
  static final class Probe extends io.hyperinfer.worker.Worker {
    Probe(io.hyperinfer.worker.Facilities f) {
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
