package io.hyperinfer.worker.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedactTest {
  @Test
  void shouldMaskSecretFieldsAtAnyDepthWhenRedactingJson() {
    JsonNode in = Json.parse("""
        {"email":"a@b.c","password":"hunter2","nested":{"apiKey":"hk_123","sessionToken":"t","keyId":"k1"},
         "list":[{"secretKey":"s"},{"publicKey":"pk"}],"seed":"00","name":"n"}""");
    JsonNode out = Redact.json(in);
    assertEquals("a@b.c", out.get("email").asText());
    assertEquals(Redact.MASK, out.get("password").asText());
    assertEquals(Redact.MASK, out.get("nested").get("apiKey").asText());
    assertEquals(Redact.MASK, out.get("nested").get("sessionToken").asText());
    assertEquals("k1", out.get("nested").get("keyId").asText());
    assertEquals(Redact.MASK, out.get("list").get(0).get("secretKey").asText());
    assertEquals("pk", out.get("list").get(1).get("publicKey").asText());
    assertEquals(Redact.MASK, out.get("seed").asText());
    assertEquals("hunter2", in.get("password").asText());
    assertFalse(out.toString().contains("hunter2"));
    assertNull(Redact.json(null));
  }

  @Test
  void shouldHideValueWhenRedactingStrings() {
    assertEquals(Redact.MASK, Redact.secret("hunter2"));
    assertNull(Redact.secret(null));
    assertEquals(Redact.MASK, Redact.hint("short"));
    assertEquals(Redact.MASK + "wxyz", Redact.hint("hk_0123456789abcdwxyz"));
    assertNull(Redact.hint(null));
  }

  @Test
  void shouldRecogniseSecretNamesWhenCaseOrWordingDiffers() {
    assertTrue(Redact.isSecretField("Authorization"));
    assertTrue(Redact.isSecretField("userPassword"));
    assertFalse(Redact.isSecretField("apiKeyId"));
    assertFalse(Redact.isSecretField("email"));
  }

  @Test
  void shouldMaskSecretsWhenTheyAppearInText() {
    String key = "hi_00112233aabbccdd_" + "Zz9-_".repeat(8) + "abc";
    String session = "eyJzdWIiOiJ1MSJ9eyJzdWIiOiJ1MSJ9." + "Q".repeat(86);
    String text = "key " + key + " session " + session + " Authorization: Bearer abc.def"
        + " {\"password\":\"p@ss \\\"quoted\\\"\",\"keyId\":\"k1\",\"sessionToken\":\"tok\"}"
        + " password=hunter2 apiKey: hk-1 promptTokens=12 sessionTtl=30m";
    String out = Redact.text(text);
    assertTrue(out.contains("hi_00112233aabbccdd_***"), out);
    assertFalse(out.contains("Zz9-_"), out);
    assertFalse(out.contains("Q".repeat(86)), out);
    assertFalse(out.contains("abc.def"), out);
    assertTrue(Redact.text("Bearer abc.def").equals("Bearer ***"));
    assertFalse(out.contains("p@ss") || out.contains("quoted") || out.contains("tok\""), out);
    assertTrue(out.contains("\"keyId\":\"k1\""), out);
    assertTrue(out.contains("password=***") && out.contains("apiKey: ***"), out);
    assertTrue(out.contains("promptTokens=12") && out.contains("sessionTtl=30m"), out);
    assertEquals("plain words stay", Redact.text("plain words stay"));
    assertNull(Redact.text(null));
    assertEquals("", Redact.text(""));
  }

  @Test
  void shouldNotTreatCountsAndDurationsAsSecretsWhenNamesMentionThem() {
    for (String name : List.of("promptTokens", "maxTokens", "tokensPerMinute", "sessionTtl", "authMs",
        "sessionTimeout", "dailyTokenLimit")) {
      assertFalse(Redact.isSecretField(name), name);
    }
    for (String name : List.of("token", "session", "apiKey", "password", "privateKey", "seed")) {
      assertTrue(Redact.isSecretField(name), name);
    }
  }
}
