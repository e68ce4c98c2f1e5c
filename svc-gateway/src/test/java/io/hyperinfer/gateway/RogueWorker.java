package io.hyperinfer.gateway;

import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stranger that knows the network's public key (so it derives the same topic keys), announces every worker topic
 * and answers every worker method, recording each call that reaches it: what trust by topic would hand it.
 */
final class RogueWorker extends Worker {
  final List<String> received = new CopyOnWriteArrayList<>();
  private final String model;

  RogueWorker(Config config, Facilities facilities, String model) {
    super(TestDataFactory.context("rogue"), config, facilities);
    this.model = model;
  }

  @Override
  protected void onStart() {
    for (String method : List.of("register", "login", "sessionKey", "validateSession", "validateApiKey",
        "validateClientKey", NetworkNames.EMBED, NetworkNames.MODELS, NetworkNames.STATUS)) {
      net().respond(method, call -> {
        received.add(method);
        return Json.object();
      });
    }
    net().respondStream(NetworkNames.INFER, (call, sink) -> received.add(NetworkNames.INFER));
    for (String topic : List.of(NetworkNames.AUTH_TOPIC, NetworkNames.GATEWAY_TOPIC, NetworkNames.PROCESSOR_TOPIC,
        NetworkNames.modelTopic(model))) {
      net().announce(topic).join();
    }
  }

  NetFacility network() {
    return net();
  }
}
