package io.hyperinfer.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client's first-reply deadline between real workers (in-memory net): a gateway that takes a stream and never
 * answers it, announced before a real one so the client tries it first, as it would a gateway cut off by a partition.
 */
@Timeout(60)
class FirstReplyDeadlineIT {
  private Network network;

  @AfterEach
  void stop() {
    if (network != null) {
      network.close();
    }
  }

  @Test
  void shouldAnswerThroughTheNextGatewayAndCancelOnTheSilentOneWhenNoFrameComesWithinTheDeadline()
      throws Exception {
    network = new Network();
    SilentGateway silent = network.workers.start(new SilentGateway(network.net.facilities()));
    network.gateways.add(network.services.gateway(new GatewayWorker(TestDataFactory.context("gateway"),
        Config.empty(), network.services.facilities())));
    network.services.auth();
    network.processors.add(network.services.processor("{}", "{}"));
    String apiKey = network.account().apiKey();
    ClientWorker c = network.workers.start(new ClientWorker(TestDataFactory.context("client"),
        Config.of(Json.parse("{\"client\":{\"firstReplyTimeout\":\"300ms\"}}")), network.net.facilities()));
    c.useApiKey(apiKey);

    Answer a = c.infer(Prompt.of("builtin-echo", "past the silent one"));

    assertTrue(a.text().endsWith("past the silent one"), a.text());
    assertEquals(1, silent.streams.get(), "the silent gateway was tried first");
    assertTrue(silent.cancelled.await(10, TimeUnit.SECONDS), "the abandoned stream was cancelled");
    assertEquals(1, c.gatewaysAbandoned());
    assertTrue(c.infer(Prompt.of("builtin-echo", "again")).text().endsWith("again"));
    assertEquals(1, silent.streams.get(), "the next call starts on the gateway that answered");
    assertEquals(1, c.gatewaysAbandoned());
  }

  /**
   * Announces the gateway topic; takes infer streams and never sends a frame (until cancelled); refuses request calls
   * as a stopping worker does, so the account's set-up moves on to the real gateway.
   */
  static final class SilentGateway extends Worker {
    final AtomicInteger streams = new AtomicInteger();
    final CountDownLatch cancelled = new CountDownLatch(1);

    SilentGateway(Facilities facilities) {
      super(TestDataFactory.context("silent"), Config.empty(), facilities);
    }

    @Override
    protected void onStart() {
      for (String method : java.util.List.of("register", "login", "createApiKey", NetworkNames.MODELS)) {
        net().respond(method, call -> {
          throw new NetException("ERR_STOPPING", "stopping");
        });
      }
      net().respondStream(NetworkNames.INFER, (call, sink) -> {
        streams.incrementAndGet();
        call.cancel().onCancel(cancelled::countDown);
        cancelled.await(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
      });
      net().announce(NetworkNames.GATEWAY_TOPIC).join();
    }
  }
}
