package io.hyperinfer.contract.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferRequestTest {
  private static ObjectNode valid() {
    ObjectNode p = Json.object().put("apiKey", "hi_secret").put("model", "m");
    p.putArray("messages").addObject().put("role", "user").put("content", "abcdefgh");
    return p;
  }

  private static String badRequest(Runnable r) {
    NetException e = assertThrows(NetException.class, r::run);
    assertEquals(NetException.ERR_BAD_REQUEST, e.code());
    return e.getMessage();
  }

  @Test
  void shouldApplyDefaultsAndKeepCredentialsWhenDecodingAClientRequest() {
    InferRequest r = InferRequest.fromJson(valid());
    assertEquals("m", r.model());
    assertEquals(InferRequest.DEFAULT_MAX_TOKENS, r.maxTokens());
    assertEquals(0.7, r.temperature());
    assertEquals(Credentials.apiKey("hi_secret"), r.credentials());
    assertNull(r.caller());
    assertEquals(8, r.chars());
  }

  @Test
  void shouldDropCredentialsAndAddCallerWhenForwardedToAProcessor() {
    InferRequest forward = InferRequest.fromJson(valid()).forProcessor(new Caller("u1", "k1"));
    ObjectNode json = forward.toJson();
    assertFalse(json.has("apiKey"));
    assertFalse(json.has("session"));
    assertEquals("u1", json.path("caller").path("userId").asText());
    InferRequest back = InferRequest.fromJson(json);
    assertEquals(forward, back);
    assertEquals(Credentials.NONE, back.credentials());
  }

  @Test
  void shouldReadBackEveryFieldWhenRoundTripping() {
    InferRequest r = new InferRequest("llama", List.of(ChatMessage.system("be brief"), ChatMessage.user("hi"),
        ChatMessage.assistant("hello")), 32, 0.25, Credentials.session("tok"), null);
    assertEquals(r, InferRequest.fromJson(Json.parse(Json.toBytes(r.toJson()))));
    assertEquals("hi", r.lastUserContent());
    assertEquals("system: be brief\nuser: hi\nassistant: hello\n", r.promptText());
    assertEquals("other", r.withModel("other").model());
    assertEquals(Credentials.apiKey("k"), r.withCredentials(Credentials.apiKey("k")).credentials());
  }

  @Test
  void shouldPutPromptFirstWhenPromptAndMessagesAreBothGiven() {
    InferRequest r = InferRequest.fromJson(valid().put("prompt", "first"));
    assertEquals(List.of(ChatMessage.user("first"), ChatMessage.user("abcdefgh")), r.messages());
  }

  @Test
  void shouldRejectBadRequestsWithBadRequestWhenDecoding() {
    ObjectNode noModel = valid();
    noModel.remove("model");
    ObjectNode badRole = valid();
    ((ObjectNode) badRole.get("messages").get(0)).put("role", "robot");
    ObjectNode numberContent = valid();
    ((ObjectNode) numberContent.get("messages").get(0)).put("content", 5);
    ObjectNode tooLong = valid();
    ((ObjectNode) tooLong.get("messages").get(0)).put("content", "x".repeat(InferRequest.MAX_CHARS + 1));
    ObjectNode tooMany = valid();
    for (int i = 0; i < InferRequest.MAX_MESSAGES; i++) {
      tooMany.withArray("messages").addObject().put("role", "user").put("content", "x");
    }
    for (ObjectNode bad : List.of(noModel, badRole, numberContent, tooLong, tooMany, valid().put("temperature", 3),
        valid().put("temperature", "hot"), valid().put("maxTokens", 40_000), valid().put("maxTokens", 1.5),
        valid().put("maxTokens", 1L << 40), valid().put("model", "x".repeat(201)), valid().put("apiKey", 7),
        Json.object().put("model", "m"), valid().put("messages", "hi"))) {
      badRequest(() -> InferRequest.fromJson(bad));
    }
    badRequest(() -> InferRequest.fromJson(Json.parse("[]")));
    badRequest(() -> InferRequest.fromJson(null));
  }

  @Test
  void shouldRejectInvalidValuesWhenConstructed() {
    List<ChatMessage> one = List.of(ChatMessage.user("a"));
    badRequest(() -> new InferRequest(" ", one, 1, 0));
    badRequest(() -> new InferRequest("m", List.of(), 1, 0));
    badRequest(() -> new InferRequest("m", one, 0, 0));
    badRequest(() -> new InferRequest("m", one, 1, 2.5));
    badRequest(() -> new InferRequest("m", one, 1, Double.NaN));
    badRequest(() -> new ChatMessage("robot", "x"));
    badRequest(() -> new ChatMessage("user", null));
    badRequest(() -> new Caller(" ", null));
    badRequest(() -> new Caller("u", ""));
    assertTrue(new InferRequest("m", one, 1, 0).credentials() == Credentials.NONE);
  }

  @Test
  void shouldNeverShowASecretWhenCredentialsArePrinted() {
    assertEquals("Credentials[apiKey]", Credentials.apiKey("hi_secret").toString());
    assertEquals("Credentials[session]", Credentials.session("tok").toString());
    assertEquals("Credentials[none]", Credentials.NONE.toString());
    Credentials both = new Credentials("k", "s");
    assertTrue(both.isApiKey());
    assertNull(both.session());
    assertEquals("s", Credentials.fromJson(Json.object().put("session", "s").put("apiKey", "")).secret());
    assertFalse(Credentials.fromJson(Json.object()).isPresent());
    assertNull(Credentials.NONE.secret());
  }
}
