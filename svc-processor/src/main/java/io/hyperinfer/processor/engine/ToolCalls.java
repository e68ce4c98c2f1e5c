package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.ToolCall;
import io.hyperinfer.processor.ProcessorException;
import java.security.SecureRandom;

/** Helpers for tool calls across engine wire formats. Thread-safe. */
final class ToolCalls {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

  private ToolCalls() {}

  /** A fresh call id in OpenAI's style, for engines that do not name their calls. */
  static String newId() {
    StringBuilder sb = new StringBuilder("call_");
    for (int i = 0; i < 24; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  /** A call's arguments as a JSON object (Ollama's form); ERR_BAD_REQUEST when they are not a JSON object. */
  static JsonNode argumentsObject(ToolCall call) {
    if (call.arguments().isBlank()) {
      return EngineJson.object();
    }
    try {
      JsonNode args = EngineJson.parse(call.arguments());
      if (args.isObject()) {
        return args;
      }
    } catch (IllegalArgumentException notJson) {
      // reported below
    }
    throw ProcessorException.badRequest("the arguments of tool call '" + call.id() + "' are not a JSON object");
  }
}
