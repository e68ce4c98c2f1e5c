package io.hyperinfer.contract.infer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.Fields;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The vectors for an {@link EmbedRequest}, one per input in order, all of one length; the usage (prompt tokens only);
 * the timings; and, once a gateway relayed it, which processor served it after how many attempts. JSON {@code {model,
 * dimensions, vectors: [base64 of little-endian float32], usage, timings, processor?, attempts?}}: the vector encoding
 * is OpenAI's {@code encoding_format: base64}.
 */
public record EmbedReply(String model, List<float[]> vectors, Usage usage, Timings timings, String processor,
    int attempts) {
  public static final int MAX_DIMENSIONS = 65_536;

  public EmbedReply {
    if (model == null || model.isBlank()) {
      throw NetException.badRequest("an embed reply names its model");
    }
    vectors = List.copyOf(vectors);
    if (vectors.isEmpty() || vectors.size() > EmbedRequest.MAX_INPUTS) {
      throw NetException.badRequest("an embed reply holds 1.." + EmbedRequest.MAX_INPUTS + " vectors");
    }
    int dims = vectors.getFirst().length;
    if (dims < 1 || dims > MAX_DIMENSIONS || vectors.stream().anyMatch(v -> v.length != dims)) {
      throw NetException.badRequest("vectors must all have the same 1.." + MAX_DIMENSIONS + " dimensions");
    }
    if (usage == null || timings == null || attempts < 0) {
      throw NetException.badRequest("an embed reply carries usage, timings and a non-negative attempt count");
    }
  }

  public static EmbedReply fromProcessor(String model, List<float[]> vectors, long promptTokens, Timings timings) {
    return new EmbedReply(model, vectors, new Usage(promptTokens, 0), timings, null, 0);
  }

  public EmbedReply relayed(String processorId, int attemptCount, Timings extended) {
    return new EmbedReply(model, vectors, usage, extended, processorId, attemptCount);
  }

  public int dimensions() {
    return vectors.getFirst().length;
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.object().put("model", model).put("dimensions", dimensions());
    ArrayNode list = o.putArray("vectors");
    vectors.forEach(v -> list.add(encode(v)));
    o.set("usage", usage.toJson());
    o.set("timings", timings.toJson());
    if (processor != null) {
      o.put("processor", processor).put("attempts", attempts);
    }
    return o;
  }

  public static EmbedReply fromJson(JsonNode json) {
    JsonNode o = Fields.object(json, "an embed reply");
    List<float[]> vectors = new ArrayList<>();
    for (JsonNode v : Fields.array(o, "vectors", EmbedRequest.MAX_INPUTS)) {
      Fields.check(v.isTextual() && v.textValue().length() <= MAX_DIMENSIONS * 6, "vectors are base64 texts");
      vectors.add(decode(v.textValue()));
    }
    long attempts = Fields.integer(o, "attempts", 0);
    Fields.check(attempts >= 0 && attempts <= 1000, "attempts must be 0..1000");
    return new EmbedReply(Fields.text(o, "model", InferRequest.MAX_MODEL_LENGTH), vectors,
        Usage.fromJson(o.path("usage")), Timings.fromJson(o.path("timings")), Fields.optionalText(o, "processor", 64),
        (int) attempts);
  }

  /** Little-endian float32, base64. */
  public static String encode(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    return Base64.getEncoder().encodeToString(b.array());
  }

  static float[] decode(String base64) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw NetException.badRequest("a vector is not valid base64");
    }
    Fields.check(raw.length % Float.BYTES == 0, "a vector is a whole number of float32 values");
    float[] out = new float[raw.length / Float.BYTES];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
    return out;
  }
}
