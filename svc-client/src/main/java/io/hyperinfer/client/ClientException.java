package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The client module's one unchecked exception: the network's stable error code ({@code ERR_...}), its message, its
 * details, and {@link #plainMessage()} — what a person at a terminal should read.
 */
public final class ClientException extends RuntimeException {
  private final String code;
  private final JsonNode details;

  public ClientException(String code, String message, JsonNode details) {
    super(message, null, false, false);
    this.code = code;
    this.details = details == null ? NullNode.getInstance() : details;
  }

  public String code() {
    return code;
  }

  public JsonNode details() {
    return details;
  }

  /** Milliseconds to wait before retrying, when the network said so; -1 otherwise. */
  public long retryAfterMs() {
    return details.path("retryAfterMs").asLong(-1);
  }

  /** A sentence for people, ending with the code so it can be looked up. */
  public String plainMessage() {
    String text = switch (code) {
      case "ERR_RATE_LIMITED" -> "Too many requests for this key (" + details.path("limit").asText("limit")
          + "). Try again in " + Math.max(1, (retryAfterMs() + 999) / 1000) + " s.";
      case "ERR_QUOTA_EXCEEDED" -> "Your daily token quota is used up; it resets at midnight UTC.";
      case "ERR_INVALID_CREDENTIALS" -> "Wrong email or password.";
      case "ERR_USER_EXISTS" -> "An account with this email already exists; log in instead.";
      case "ERR_INVALID_KEY", "ERR_KEY_REVOKED", "ERR_KEY_EXPIRED" -> "The API key is not valid any more (" + getMessage()
          + "). Create a new one with 'keys create'.";
      case "ERR_INVALID_SESSION", "ERR_SESSION_EXPIRED", "ERR_SESSION_REVOKED", "ERR_UNAUTHORIZED" ->
          "You are not logged in, or your session ended. Run 'login' first.";
      case "ERR_NO_PROCESSOR" -> "No processor serves this model right now. See 'models' for what is available.";
      case "ERR_MODEL_NOT_FOUND" -> "No model of that name on this network. See 'models' for what is available.";
      case "ERR_NO_GATEWAY" -> "No gateway could be reached. Is the network running?";
      case "ERR_AUTH_UNAVAILABLE" -> "The account service is unreachable right now; try again shortly.";
      case "ERR_TIMEOUT" -> "The network did not answer in time.";
      default -> getMessage();
    };
    return text + " [" + code + "]";
  }

  @Override
  public String toString() {
    return "ClientException[" + code + ": " + getMessage() + "]";
  }
}
