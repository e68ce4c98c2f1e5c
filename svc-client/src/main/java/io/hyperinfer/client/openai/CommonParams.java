package io.hyperinfer.client.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Request fields chat and legacy completions share. Stateless. */
final class CommonParams {
  private CommonParams() {}

  /** {@code stop}: a string or up to four strings. */
  static List<String> stop(JsonNode stop) {
    List<String> out = new ArrayList<>();
    if (stop == null) {
      return out;
    }
    if (stop.isTextual()) {
      out.add(stop.asText());
    } else if (stop.isArray() && stop.size() <= 4) {
      stop.forEach(s -> out.add(s.asText()));
    } else {
      throw OpenAiError.invalidValue("stop", "'stop' must be a string or an array of at most 4 strings");
    }
    if (out.stream().anyMatch(String::isEmpty)) {
      throw OpenAiError.invalidValue("stop", "stop sequences must not be empty");
    }
    return out;
  }

  /** {@code stream_options.include_usage}, allowed only when streaming. */
  static boolean includeUsage(Params p, boolean stream) {
    JsonNode options = p.get("stream_options");
    if (options == null) {
      return false;
    }
    if (!stream) {
      throw OpenAiError.invalidValue("stream_options", "'stream_options' is only allowed when 'stream' is true");
    }
    return options.path("include_usage").asBoolean(false);
  }

  /** What neither endpoint offers, refused unless it asks for nothing. */
  static void refuseUnsupported(Params p) {
    p.ignore("user", "metadata", "service_tier");
    p.onlyNeutral("n", n -> n.asInt() == 1, "one choice per request");
    p.onlyNeutral("logprobs", n -> n.isBoolean() ? !n.asBoolean() : n.asInt() == 0,
        "log probabilities are not offered");
    p.onlyNeutral("logit_bias", JsonNode::isEmpty, "logit bias is not offered");
    p.onlyNeutral("store", n -> !n.asBoolean(), "answers are not stored");
  }
}
