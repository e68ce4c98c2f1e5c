package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;

/**
 * What a client proves itself with: an API key or a session token (the key wins when both are given), or neither
 * ({@link #NONE}), which a gateway refuses. Travels client to gateway only, as fields {@code apiKey} / {@code session}
 * of the request. {@link #toString()} never shows a secret.
 */
public record Credentials(String apiKey, String session) {
  public static final Credentials NONE = new Credentials(null, null);

  public Credentials {
    apiKey = blankToNull(apiKey);
    session = apiKey != null ? null : blankToNull(session);
  }

  public static Credentials apiKey(String key) {
    return new Credentials(key, null);
  }

  public static Credentials session(String token) {
    return new Credentials(null, token);
  }

  public boolean isPresent() {
    return apiKey != null || session != null;
  }

  public boolean isApiKey() {
    return apiKey != null;
  }

  /** The key or the token, whichever is used; null for {@link #NONE}. */
  public String secret() {
    return apiKey != null ? apiKey : session;
  }

  /** Adds the credential's field to {@code o} (nothing for {@link #NONE}). */
  public ObjectNode writeTo(ObjectNode o) {
    if (apiKey != null) {
      o.put("apiKey", apiKey);
    } else if (session != null) {
      o.put("session", session);
    }
    return o;
  }

  /** The {@code apiKey} / {@code session} fields of any request object. */
  public static Credentials fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "the request");
    return new Credentials(Fields.optionalText(o, "apiKey", Fields.MAX_TEXT),
        Fields.optionalText(o, "session", Fields.MAX_TEXT));
  }

  @Override
  public String toString() {
    return apiKey != null ? "Credentials[apiKey]" : session != null ? "Credentials[session]" : "Credentials[none]";
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
