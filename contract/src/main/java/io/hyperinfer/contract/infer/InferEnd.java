package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.Set;

/**
 * How a streamed answer ended: the model, why it stopped ({@code stop}, {@code length}, {@code tool_calls}), the
 * usage, the timings, and, once a gateway relayed it, which processor served it (short id) after how many attempts. The processor
 * makes it; the gateway extends it ({@link #relayed}) rather than rebuilding it. JSON {@code {model, finishReason,
 * usage, timings, processor?, attempts?}}; a failed answer ends with the stream's error frame instead.
 */
public record InferEnd(String model, String finishReason, Usage usage, Timings timings, String processor,
    int attempts) {
  public static final Set<String> FINISH_REASONS = Set.of("stop", "length", "tool_calls");

  public InferEnd {
    if (model == null || model.isBlank()) {
      throw NetException.badRequest("an end frame names its model");
    }
    if (!FINISH_REASONS.contains(finishReason)) {
      throw NetException.badRequest("finishReason must be one of " + FINISH_REASONS);
    }
    if (usage == null || timings == null || attempts < 0) {
      throw NetException.badRequest("an end frame carries usage, timings and a non-negative attempt count");
    }
  }

  /** What a processor sends: no processor id or attempts yet. */
  public static InferEnd fromProcessor(String model, String finishReason, Usage usage, Timings timings) {
    return new InferEnd(model, finishReason, usage, timings, null, 0);
  }

  /** This end as a gateway passes it on: who served it, after how many attempts, with the gateway's timings. */
  public InferEnd relayed(String processorId, int attemptCount, Timings extended) {
    return new InferEnd(model, finishReason, usage, extended, processorId, attemptCount);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("model", model).put("finishReason", finishReason);
    o.set("usage", usage.toJson());
    o.set("timings", timings.toJson());
    if (processor != null) {
      o.put("processor", processor).put("attempts", attempts);
    }
    return o;
  }

  public static InferEnd fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "an end frame");
    long attempts = Fields.integer(o, "attempts", 0);
    Fields.check(attempts >= 0 && attempts <= 1000, "attempts must be 0..1000");
    return new InferEnd(Fields.text(o, "model", InferRequest.MAX_MODEL_LENGTH),
        Fields.text(o, "finishReason", 16), Usage.fromJson(o.path("usage")), Timings.fromJson(o.path("timings")),
        Fields.optionalText(o, "processor", 64), (int) attempts);
  }
}
