package io.hyperinfer.services.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.processor.engine.minilm.MiniLmEngine;
import io.hyperinfer.services.testkit.ServiceNetworkTest.Caller;
import io.hyperinfer.worker.Json;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The in-process MiniLM embedding engine behind a processor of the shared network (loads the 90 MB model). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ServiceNetworkIT {
  private final ServiceNetwork services = ServiceNetwork.realTime(4);

  @AfterEach
  void close() {
    services.close();
  }

  @Test
  void shouldServeTheMiniLmModelWhenProcessorEmbedsWithIt() {
    Caller gateway = services.gateway(new Caller(services.facilities()));
    ProcessorWorker processor = services.processor("{\"type\":\"builtin\"}", "{\"type\":\"minilm\"}");
    JsonNode models = gateway.call(processor.publicKey(), NetworkNames.MODELS, Json.object());
    assertTrue(models.toString().contains(MiniLmEngine.MODEL_ID), models.toString());
  }
}
