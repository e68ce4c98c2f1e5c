package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.worker.Json;

/**
 * An error answered in OpenAI's shape, {@code {"error": {"message", "type", "param", "code"}}}, with OpenAI's HTTP
 * status. Codes are OpenAI's snake_case codes (invalid_api_key, model_not_found, unsupported_parameter, ...), one style
 * for every error this endpoint gives, including the network's own (mapped by {@link #fromClient}).
 */
public final class OpenAiError extends RuntimeException {
  static final String INVALID_REQUEST = "invalid_request_error";
  static final String SERVER_ERROR = "server_error";

  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final long retryAfterSeconds;

  OpenAiError(int status, String type, String code, String param, String message, long retryAfterSeconds) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static OpenAiError invalid(String code, String param, String message) {
    return new OpenAiError(400, INVALID_REQUEST, code, param, message, -1);
  }

  static OpenAiError unsupportedParameter(String param, String message) {
    return invalid("unsupported_parameter", param, message);
  }

  static OpenAiError unsupportedValue(String param, String message) {
    return invalid("unsupported_value", param, message);
  }

  static OpenAiError invalidValue(String param, String message) {
    return invalid("invalid_value", param, message);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  public String param() {
    return param;
  }

  /** Seconds for a {@code Retry-After} header, or -1 for none. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public ObjectNode toJson() {
    ObjectNode out = Json.object();
    ObjectNode e = out.putObject("error").put("message", getMessage()).put("type", type);
    if (param == null) {
      e.putNull("param");
    } else {
      e.put("param", param);
    }
    e.put("code", code);
    return out;
  }

  /** The network's error as OpenAI would report it. */
  public static OpenAiError fromClient(ClientException e) {
    long retry = e.retryAfterMs() > 0 ? Math.max(1, (e.retryAfterMs() + 999) / 1000) : -1;
    String param = e.details().hasNonNull("param") ? e.details().get("param").asText() : null;
    String message = e.getMessage();
    return switch (e.code()) {
      case "ERR_UNAUTHORIZED", "ERR_INVALID_KEY", "ERR_KEY_REVOKED", "ERR_KEY_EXPIRED", "ERR_INVALID_SESSION",
           "ERR_SESSION_EXPIRED", "ERR_SESSION_REVOKED" ->
          new OpenAiError(401, INVALID_REQUEST, "invalid_api_key", null, message, -1);
      case "ERR_FORBIDDEN" -> new OpenAiError(403, INVALID_REQUEST, "permission_denied", "model", message, -1);
      case "ERR_MODEL_NOT_FOUND" -> new OpenAiError(404, INVALID_REQUEST, "model_not_found", "model", message, -1);
      case "ERR_RATE_LIMITED" -> new OpenAiError(429, "rate_limit_error", "rate_limit_exceeded", null, message, retry);
      case "ERR_QUOTA_EXCEEDED" ->
          new OpenAiError(429, "insufficient_quota", "insufficient_quota", null, message, retry);
      case "ERR_BAD_REQUEST" -> new OpenAiError(400, INVALID_REQUEST, "invalid_request", param, message, -1);
      case "ERR_UNSUPPORTED" -> unsupportedParameter(param, message);
      case "ERR_CONTEXT_LENGTH_EXCEEDED" -> invalid("context_length_exceeded", param, message);
      case "ERR_BUSY" -> new OpenAiError(503, SERVER_ERROR, "overloaded", null, message, 1);
      case "ERR_NO_PROCESSOR", "ERR_NO_GATEWAY", "ERR_AUTH_UNAVAILABLE", "ERR_ENGINE_UNAVAILABLE",
           "ERR_PEER_UNAVAILABLE", "ERR_NO_PEERS", "ERR_CONNECTION_LOST", "ERR_STOPPING" ->
          new OpenAiError(503, SERVER_ERROR, "service_unavailable", null, message, -1);
      case "ERR_TIMEOUT" -> new OpenAiError(504, SERVER_ERROR, "timeout", null, message, -1);
      default -> new OpenAiError(500, SERVER_ERROR, "server_error", null, message + " [" + e.code() + "]", -1);
    };
  }
}
