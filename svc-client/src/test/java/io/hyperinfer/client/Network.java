package io.hyperinfer.client;

import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.services.testkit.ServiceNetwork;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.util.ArrayList;
import java.util.List;

/** A whole in-process network ({@link ServiceNetwork}): gateways, the real Auth, processors, clients. */
final class Network implements AutoCloseable {
  final ServiceNetwork services = ServiceNetwork.realTime(11);
  final TestNetwork net = services.network();
  final TestWorkers workers = services.workers();
  final List<GatewayWorker> gateways = new ArrayList<>();
  final List<ProcessorWorker> processors = new ArrayList<>();

  /** {@code gatewayCount} gateways with {@code gatewayJson}, Auth, and one processor per engine config. */
  static Network start(int gatewayCount, String gatewayJson, String... engines) {
    return startWith(gatewayCount, gatewayJson, "{}", engines);
  }

  /** As {@link #start}, every processor also with {@code processor.embedding} = {@code embeddingJson}. */
  static Network startWith(int gatewayCount, String gatewayJson, String embeddingJson, String... engines) {
    Network n = new Network();
    for (int i = 0; i < gatewayCount; i++) {
      n.gateways.add(n.services.gateway(new GatewayWorker(TestDataFactory.context("gateway"),
          Config.of(Json.parse(gatewayJson)), n.services.facilities())));
    }
    n.services.auth();
    for (String engine : engines) {
      n.processors.add(n.services.processor(engine, embeddingJson));
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
    services.close();
  }
}
