package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import org.junit.jupiter.api.Test;

class InferRequestTest {
  private static ObjectNode valid() {
    ObjectNode p = Json.object().put("apiKey", "hi_secret").put("model", "m");
    p.putArray("messages").addObject().put("role", "user").put("content", "abcdefgh");
    return p;
  }

  @Test
  void shouldDropCredentialAndApplyDefaultsWhenForwarding() {
    ObjectNode out = InferRequest.toProcessorPayload(valid());
    assertFalse(out.has("apiKey"));
    assertEquals(256, out.get("maxTokens").asInt());
    assertEquals(0.7, out.get("temperature").asDouble());
    assertEquals(2 + 1 + 256, InferRequest.estimateTokens(out));
  }

  @Test
  void shouldRejectBadPayloadsWithBadRequest() {
    ObjectNode noModel = valid();
    noModel.remove("model");
    ObjectNode badRole = valid();
    ((ObjectNode) badRole.get("messages").get(0)).put("role", "robot");
    ObjectNode tooLong = valid();
    ((ObjectNode) tooLong.get("messages").get(0)).put("content", "x".repeat(InferRequest.MAX_CHARS + 1));
    ObjectNode hot = valid().put("temperature", 3);
    ObjectNode huge = valid().put("maxTokens", 40_000);
    ObjectNode empty = Json.object().put("model", "m");
    for (ObjectNode bad : new ObjectNode[] {noModel, badRole, tooLong, hot, huge, empty}) {
      NetException e = assertThrows(NetException.class, () -> InferRequest.toProcessorPayload(bad), bad.toString());
      assertEquals(NetException.ERR_BAD_REQUEST, e.code());
    }
  }

  @Test
  void shouldCombinePromptAndMessagesWhenBothGiven() {
    ObjectNode both = valid().put("prompt", "first");
    assertEquals(2, InferRequest.toProcessorPayload(both).get("messages").size());
  }
}
