package io.hyperinfer.client.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.worker.Json;
import org.junit.jupiter.api.Test;

class OpenAiErrorTest {
  private static OpenAiError map(String code, JsonNode details) {
    return OpenAiError.fromClient(new ClientException(code, "m", details));
  }

  @Test
  void shouldMapEveryNetworkCodeToOpenAiStatusTypeAndCode() {
    String[][] table = {
        {"ERR_INVALID_KEY", "401", "invalid_api_key"}, {"ERR_SESSION_EXPIRED", "401", "invalid_api_key"},
        {"ERR_FORBIDDEN", "403", "permission_denied"}, {"ERR_MODEL_NOT_FOUND", "404", "model_not_found"},
        {"ERR_RATE_LIMITED", "429", "rate_limit_exceeded"}, {"ERR_QUOTA_EXCEEDED", "429", "insufficient_quota"},
        {"ERR_BAD_REQUEST", "400", "invalid_request"}, {"ERR_UNSUPPORTED", "400", "unsupported_parameter"},
        {"ERR_CONTEXT_LENGTH_EXCEEDED", "400", "context_length_exceeded"}, {"ERR_BUSY", "503", "overloaded"},
        {"ERR_NO_PROCESSOR", "503", "service_unavailable"}, {"ERR_NO_GATEWAY", "503", "service_unavailable"},
        {"ERR_TIMEOUT", "504", "timeout"}, {"ERR_ENGINE_FAILED", "500", "server_error"},
        {"ERR_SOMETHING_NEW", "500", "server_error"}};
    for (String[] row : table) {
      OpenAiError e = map(row[0], null);
      assertEquals(Integer.parseInt(row[1]), e.status(), row[0]);
      assertEquals(row[2], e.code(), row[0]);
      JsonNode body = e.toJson().path("error");
      assertEquals(row[2], body.path("code").asText());
      assertTrue(body.has("param") && body.has("type") && body.has("message"), body.toString());
      assertEquals(e.status() >= 500 ? "server_error" : e.type(), body.path("type").asText());
    }
  }

  @Test
  void shouldCarryParamAndRetryAfterWhenTheNetworkSaysSo() {
    OpenAiError unsupported = map("ERR_UNSUPPORTED", Json.object().put("param", "top_p"));
    assertEquals("top_p", unsupported.param());
    assertEquals("top_p", unsupported.toJson().at("/error/param").asText());
    OpenAiError limited = map("ERR_RATE_LIMITED", Json.object().put("retryAfterMs", 1500));
    assertEquals(2, limited.retryAfterSeconds());
    assertEquals("rate_limit_error", limited.type());
    assertTrue(map("ERR_TIMEOUT", null).toJson().at("/error/param").isNull());
    assertEquals(-1, map("ERR_TIMEOUT", null).retryAfterSeconds());
  }
}
