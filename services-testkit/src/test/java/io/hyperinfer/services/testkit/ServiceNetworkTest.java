package io.hyperinfer.services.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerState;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ServiceNetworkTest {
  private final ServiceNetwork services = ServiceNetwork.realTime(3);

  @AfterEach
  void close() {
    services.close();
  }

  /** A bare worker that calls others by key or topic: a stand-in gateway or a stranger. */
  static final class Caller extends Worker {
    Caller(Facilities facilities) {
      super(TestDataFactory.context("caller"), Config.empty(), facilities);
    }

    @Override
    protected void onStart() {}

    JsonNode call(byte[] to, String method, JsonNode payload) {
      try {
        return net().request(to, method, payload).join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }

    JsonNode callTopic(String topic, String method, JsonNode payload) {
      try {
        return net().topicRequest(topic, method, payload).join();
      } catch (CompletionException e) {
        throw (RuntimeException) e.getCause();
      }
    }
  }

  @Test
  void shouldLetAuthTrustOnlyGatewaysStartedBeforeItWhenBuilt() {
    Caller gateway = services.gateway(new Caller(services.facilities()));
    services.auth();
    Caller stranger = services.start(new Caller(services.facilities()));
    JsonNode unknownKey = Json.object().put("apiKey", "hi_unknown");

    NetException refused = assertThrows(NetException.class,
        () -> stranger.callTopic(AuthSettings.DEFAULT_TOPIC, "validateApiKey", unknownKey));
    assertEquals(NetException.ERR_FORBIDDEN, refused.code());
    NetException answered = assertThrows(NetException.class,
        () -> gateway.callTopic(AuthSettings.DEFAULT_TOPIC, "validateApiKey", unknownKey));
    assertNotEquals(NetException.ERR_FORBIDDEN, answered.code());
    assertEquals(Set.of(HexFormat.of().formatHex(gateway.identity().publicKey())), services.gatewayKeys());
  }

  @Test
  void shouldLetProcessorsServeOnlyTheGatewaysWhenEmbedIsAsked() {
    Caller gateway = services.gateway(new Caller(services.facilities()));
    ProcessorWorker processor = services.processor("{\"type\":\"builtin\"}");
    Caller stranger = services.start(new Caller(services.facilities()));
    ObjectNode embed = Json.object().put("model", "none");
    embed.putArray("input").add("hi");

    NetException refused = assertThrows(NetException.class,
        () -> stranger.call(processor.publicKey(), "embed", embed));
    assertEquals(NetException.ERR_FORBIDDEN, refused.code());
    NetException answered = assertThrows(NetException.class,
        () -> gateway.call(processor.publicKey(), "embed", embed));
    assertNotEquals(NetException.ERR_FORBIDDEN, answered.code());
    assertEquals(List.of(processor), services.processors());
  }

  @Test
  void shouldStopEveryWorkerWhenClosed() {
    Caller gateway = services.gateway(new Caller(services.facilities()));
    ProcessorWorker processor = services.processor("{\"type\":\"builtin\"}", "{\"type\":\"none\"}");
    services.close();
    assertEquals(WorkerState.STOPPED, gateway.state());
    assertEquals(WorkerState.STOPPED, processor.state());
  }
}
