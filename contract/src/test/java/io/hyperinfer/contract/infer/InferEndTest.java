package io.hyperinfer.contract.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferEndTest {
  private static List<String> fields(ObjectNode o) {
    List<String> out = new ArrayList<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void shouldCarryOnlyWhatTheProcessorMeasuredWhenProcessorEnds() {
    InferEnd end = InferEnd.fromProcessor("m", "stop", new Usage(3, 4), Timings.processor(1.5, 2.25, 10));
    ObjectNode json = end.toJson();
    assertEquals(List.of("model", "finishReason", "usage", "timings"), fields(json));
    assertEquals(7, json.path("usage").path("totalTokens").asInt());
    assertEquals(List.of("engineTtftMs", "slotWaitMs", "engineMs"), fields((ObjectNode) json.get("timings")));
    assertEquals(end, InferEnd.fromJson(json));
  }

  @Test
  void shouldExtendNotRebuildWhenGatewayRelaysTheEnd() {
    InferEnd processor = InferEnd.fromProcessor("m", "length", new Usage(3, 4), Timings.processor(1, -1, 10));
    InferEnd relayed = processor.relayed("ab12cd34", 2, processor.timings().withGateway(0.5, 0.25, 0.125, 12, 14));
    assertEquals(processor.usage(), relayed.usage());
    assertEquals(-1.0, relayed.timings().engineTtftMs());
    assertEquals(10.0, relayed.timings().engineMs());
    ObjectNode json = relayed.toJson();
    assertEquals(List.of("authMs", "queueMs", "routingMs", "processorMs", "engineTtftMs", "totalMs", "slotWaitMs",
        "engineMs"), fields((ObjectNode) json.get("timings")));
    assertEquals("ab12cd34", json.path("processor").asText());
    assertEquals(2, json.path("attempts").asInt());
    assertEquals(relayed, InferEnd.fromJson(Json.parse(Json.toBytes(json))));
  }

  @Test
  void shouldRejectMalformedEndFramesWithBadRequest() {
    ObjectNode good = InferEnd.fromProcessor("m", "stop", new Usage(1, 1), Timings.processor(0, 0, 0)).toJson();
    for (ObjectNode bad : List.of(good.deepCopy().put("finishReason", "cancelled"), good.deepCopy().put("model", ""),
        good.deepCopy().put("attempts", -1), (ObjectNode) good.deepCopy().set("usage", Json.object()
            .put("promptTokens", -3)), (ObjectNode) good.deepCopy().set("timings", Json.object().put("engineMs", "x")),
        good.deepCopy().put("timings", 5))) {
      assertEquals(NetException.ERR_BAD_REQUEST, assertThrows(NetException.class, () -> InferEnd.fromJson(bad))
          .code(), bad.toString());
    }
    assertThrows(NetException.class, () -> new InferEnd("m", "stop", null, Timings.processor(0, 0, 0), null, 0));
    assertTrue(Double.isNaN(Timings.fromJson(null).totalMs()));
  }

  @Test
  void shouldCarryTextAsItIsWhenChunksTravel() {
    assertEquals(new InferChunk("héllo "), InferChunk.fromJson(new InferChunk("héllo ").toJson()));
    assertEquals("", InferChunk.fromJson(Json.object()).text());
    assertThrows(NetException.class, () -> new InferChunk("x".repeat(InferChunk.MAX_TEXT + 1)));
    assertThrows(NetException.class, () -> InferChunk.fromJson(Json.object().put("text", 3)));
  }

  @Test
  void shouldRoundTripStatusAndModelListsWhenWorkersAnswer() {
    ProcessorStatus status = new ProcessorStatus("builtin", true, 1, 2, 2, 8,
        List.of(new ServedModel("echo", "builtin")));
    assertEquals(status, ProcessorStatus.fromJson(status.toJson()));
    assertEquals(List.of("engine", "healthy", "inFlight", "queued", "concurrency", "queueLimit", "models"),
        fields(status.toJson()));
    ServedModels served = new ServedModels(List.of(new ServedModel("a", "ollama"), new ServedModel("b", "openai")));
    assertEquals(served, ServedModels.fromJson(served.toJson()));
    ModelsReply reply = new ModelsReply(List.of(new ModelsReply.Model("a", 2)));
    assertEquals(reply, ModelsReply.fromJson(reply.toJson()));
    assertEquals(NetException.ERR_BAD_REQUEST, assertThrows(NetException.class,
        () -> ProcessorStatus.fromJson(status.toJson().put("queued", -1))).code());
    assertThrows(NetException.class, () -> ModelsReply.fromJson(Json.parse("{\"models\":[{\"id\":\"a\"}]}")));
    assertThrows(NetException.class, () -> new ServedModel("a", " "));
    assertFalse(ServedModels.fromJson(Json.object()).models().iterator().hasNext());
  }
}
