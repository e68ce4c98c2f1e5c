package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/**
 * Who a request is for, as the gateway vouches after checking the client's credentials: the user and the API key
 * (null for a session). Added by the gateway in place of the credentials, so a processor never sees a secret. JSON
 * {@code {userId, keyId?}}.
 */
public record Caller(String userId, String keyId) {
  public Caller {
    if (userId == null || userId.isBlank() || userId.length() > 128) {
      throw NetException.badRequest("caller.userId is required");
    }
    if (keyId != null && (keyId.isBlank() || keyId.length() > 128)) {
      throw NetException.badRequest("caller.keyId must be a key id");
    }
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("userId", userId);
    if (keyId != null) {
      o.put("keyId", keyId);
    }
    return o;
  }

  public static Caller fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "caller");
    return new Caller(Fields.text(o, "userId", 128), Fields.optionalText(o, "keyId", 128));
  }
}
