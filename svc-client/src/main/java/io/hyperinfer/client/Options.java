package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.ToolSpec;
import java.util.List;

/**
 * Generation options beyond model, messages, max tokens and temperature; null (or empty) for "not asked": nucleus
 * mass, seed, penalties, stop sequences, tools with OpenAI's tool choice, and the response format. A processor whose
 * model cannot honour an option refuses the request with ERR_UNSUPPORTED naming it.
 */
public record Options(Double topP, Long seed, Double presencePenalty, Double frequencyPenalty, List<String> stop,
    List<ToolSpec> tools, JsonNode toolChoice, ResponseFormat responseFormat) {
  public static final Options NONE = new Options(null, null, null, null, List.of(), List.of(), null, null);

  public Options {
    stop = stop == null ? List.of() : List.copyOf(stop);
    tools = tools == null ? List.of() : List.copyOf(tools);
  }
}
