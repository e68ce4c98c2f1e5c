package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.processor.ProcessorException;

/**
 * An error body from an engine server: Ollama's {@code {"error":"..."}} or OpenAI's {@code {"error":{"message", "type",
 * "param", "code"}}}, mapped to a stable {@link ProcessorException} code by HTTP status and, where the server says
 * more, by its error code (unsupported parameters and context overflow keep their meaning).
 */
record EngineError(String message, String code, String param) {
  static final EngineError NONE = new EngineError("", "", null);

  static EngineError parse(String body) {
    try {
      JsonNode error = EngineJson.parse(body).path("error");
      if (error.isTextual()) {
        return new EngineError(error.textValue(), "", null);
      }
      return new EngineError(error.path("message").asText(""), error.path("code").asText(""),
          error.hasNonNull("param") ? error.path("param").asText() : null);
    } catch (IllegalArgumentException notJson) {
      return NONE;
    }
  }

  ProcessorException toException(int status) {
    String text = "engine answered HTTP " + status + (message.isEmpty() ? "" : ": " + message);
    if (code.equals("context_length_exceeded")) {
      return ProcessorException.contextLength(text, param != null ? param : "messages");
    }
    if (code.equals("unsupported_parameter") || code.equals("unsupported_value")
        || message.contains("does not support")) {
      return ProcessorException.unsupported(param != null ? param : guessParam(), text);
    }
    return switch (status) {
      case 404 -> new ProcessorException(ProcessorException.Code.MODEL_NOT_FOUND, text);
      case 400, 422 -> new ProcessorException(ProcessorException.Code.BAD_REQUEST, text);
      case 429 -> new ProcessorException(ProcessorException.Code.BUSY, text);
      case 408, 504 -> new ProcessorException(ProcessorException.Code.TIMEOUT, text);
      case 401, 403 -> new ProcessorException(ProcessorException.Code.ENGINE_UNAVAILABLE, text);
      default -> new ProcessorException(ProcessorException.Code.ENGINE_FAILED, text);
    };
  }

  /** An error event inside a 200 stream: typed when the server names its code, an engine failure otherwise. */
  ProcessorException midStream() {
    if (code.equals("context_length_exceeded") || code.startsWith("unsupported_")) {
      return toException(400);
    }
    return ProcessorException.failed("engine reported: " + message);
  }

  /** Ollama says "model X does not support tools|insert|..." without naming the parameter. */
  private String guessParam() {
    if (message.contains("tools")) {
      return "tools";
    }
    if (message.contains("vision") || message.contains("image")) {
      return "messages";
    }
    return null;
  }
}
