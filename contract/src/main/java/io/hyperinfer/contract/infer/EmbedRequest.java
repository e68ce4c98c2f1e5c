package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.util.ArrayList;
import java.util.List;

/**
 * Texts to embed with one model, from client to gateway to processor to engine like {@link InferRequest}: the client's
 * {@link Credentials}, replaced by the gateway's {@link Caller} ({@link #forProcessor}). 1..{@value #MAX_INPUTS}
 * non-empty texts, {@value #MAX_TOTAL_CHARS} characters in all. JSON {@code {apiKey? | session?, model, input:
 * [texts], caller?}}.
 */
public record EmbedRequest(String model, List<String> inputs, Credentials credentials, Caller caller) {
  public static final int MAX_INPUTS = 2048;
  public static final int MAX_TOTAL_CHARS = 1_000_000;

  public EmbedRequest {
    if (model == null || model.isBlank() || model.length() > InferRequest.MAX_MODEL_LENGTH) {
      throw NetException.badRequest("model is missing (1.." + InferRequest.MAX_MODEL_LENGTH + " characters)");
    }
    if (inputs == null || inputs.isEmpty() || inputs.size() > MAX_INPUTS) {
      throw NetException.badRequest("input must hold 1.." + MAX_INPUTS + " texts");
    }
    long chars = 0;
    for (String s : inputs) {
      if (s == null || s.isEmpty()) {
        throw NetException.badRequest("input texts must not be empty");
      }
      chars += s.length();
    }
    if (chars > MAX_TOTAL_CHARS) {
      throw NetException.badRequest("input is longer than " + MAX_TOTAL_CHARS + " characters in total");
    }
    inputs = List.copyOf(inputs);
    credentials = credentials == null ? Credentials.NONE : credentials;
  }

  /** A request with neither credentials nor caller (engines, tests). */
  public EmbedRequest(String model, List<String> inputs) {
    this(model, inputs, Credentials.NONE, null);
  }

  public EmbedRequest forProcessor(Caller vouched) {
    return new EmbedRequest(model, inputs, Credentials.NONE, vouched);
  }

  /** Characters of all inputs. */
  public long chars() {
    return inputs.stream().mapToLong(String::length).sum();
  }

  public ObjectNode toJson() {
    ObjectNode o = credentials.writeTo(Json.object()).put("model", model);
    ArrayNode list = o.putArray("input");
    inputs.forEach(list::add);
    if (caller != null) {
      o.set("caller", caller.toJson());
    }
    return o;
  }

  public static EmbedRequest fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "embed");
    JsonNode input = o.path("input");
    Fields.check(input.isArray(), "input must be an array of texts");
    List<String> inputs = new ArrayList<>();
    for (JsonNode n : Fields.array(o, "input", MAX_INPUTS)) {
      Fields.check(n.isTextual(), "input must be an array of texts");
      inputs.add(n.textValue());
    }
    JsonNode caller = o.path("caller");
    return new EmbedRequest(Fields.optionalText(o, "model", InferRequest.MAX_MODEL_LENGTH), inputs,
        Credentials.fromJson(o), caller.isMissingNode() || caller.isNull() ? null : Caller.fromJson(caller));
  }
}
