package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.Options;
import io.hyperinfer.client.Prompt;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code POST /v1/completions} and {@code POST /v1/embeddings} bodies. Completions take one text prompt (a one-element
 * array too), max_tokens (OpenAI's default 16), temperature, top_p, seed, penalties, stop, stream, stream_options;
 * echo, suffix, best_of &gt; 1 and token-array prompts are refused. Embeddings take a text or an array of texts,
 * encoding_format float or base64, and dimensions only when it equals the model's. Stateless.
 */
final class LegacyRequests {
  static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;
  static final int MAX_INPUTS = 2048;

  /** A parsed embeddings request; {@code dimensions} is null when not asked. */
  record EmbeddingCall(String model, List<String> inputs, boolean base64, Integer dimensions) {}

  private LegacyRequests() {}

  static GenerationCall completion(JsonNode body) {
    Params p = Params.of(body);
    String model = p.requiredString("model");
    String prompt = prompt(p.get("prompt"));
    Integer max = p.integer("max_tokens", 1, 32_768);
    Double temperature = p.number("temperature", 0, 2);
    Options options = new Options(p.number("top_p", 0, 1), p.longValue("seed"), p.number("presence_penalty", -2, 2),
        p.number("frequency_penalty", -2, 2), CommonParams.stop(p.get("stop")), null, null, null);
    boolean stream = p.bool("stream", false);
    boolean includeUsage = CommonParams.includeUsage(p, stream);
    CommonParams.refuseUnsupported(p);
    p.onlyNeutral("echo", n -> !n.asBoolean(), "the prompt is not repeated in the answer");
    p.onlyNeutral("best_of", n -> n.asInt() == 1, "one candidate per request");
    p.unsupported("suffix", "insertion is not offered");
    p.rejectUnknown();
    return new GenerationCall(Prompt.completion(model, prompt, max == null ? COMPLETIONS_DEFAULT_MAX_TOKENS : max,
        temperature == null ? 1.0 : temperature, options), stream, includeUsage);
  }

  private static String prompt(JsonNode prompt) {
    if (prompt == null) {
      throw OpenAiError.invalid("missing_required_parameter", "prompt", "you must provide 'prompt'");
    }
    if (prompt.isTextual()) {
      return prompt.asText();
    }
    if (prompt.isArray() && prompt.size() == 1 && prompt.get(0).isTextual()) {
      return prompt.get(0).asText();
    }
    throw OpenAiError.unsupportedValue("prompt", "'prompt' must be one text (token arrays and several prompts per "
        + "request are not supported)");
  }

  static EmbeddingCall embedding(JsonNode body) {
    Params p = Params.of(body);
    String model = p.requiredString("model");
    List<String> inputs = inputs(p.get("input"));
    JsonNode format = p.get("encoding_format");
    String encoding = format == null ? "float" : format.asText("");
    if (!encoding.equals("float") && !encoding.equals("base64")) {
      throw OpenAiError.invalidValue("encoding_format", "'encoding_format' must be float or base64");
    }
    Integer dimensions = p.integer("dimensions", 1, 65_536);
    p.ignore("user");
    p.rejectUnknown();
    return new EmbeddingCall(model, inputs, encoding.equals("base64"), dimensions);
  }

  private static List<String> inputs(JsonNode input) {
    if (input == null) {
      throw OpenAiError.invalid("missing_required_parameter", "input", "you must provide 'input'");
    }
    List<String> out = new ArrayList<>();
    if (input.isTextual()) {
      out.add(input.asText());
    } else if (input.isArray() && !input.isEmpty() && input.size() <= MAX_INPUTS) {
      for (JsonNode n : input) {
        if (!n.isTextual()) {
          throw OpenAiError.unsupportedValue("input", "'input' must be texts (token arrays are not supported)");
        }
        out.add(n.asText());
      }
    } else {
      throw OpenAiError.invalidValue("input", "'input' must be a text or an array of 1.." + MAX_INPUTS + " texts");
    }
    if (out.stream().anyMatch(String::isEmpty)) {
      throw OpenAiError.invalidValue("input", "'input' texts must not be empty");
    }
    return out;
  }
}
