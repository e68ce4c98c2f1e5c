package io.hyperinfer.processor.engine;

import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a model can do, and what a request asks for. A request whose features are not all served by the model is refused
 * with ERR_UNSUPPORTED naming the parameter, never run with the option dropped. {@link #wire()} is the name used in
 * model listings.
 */
public enum Feature {
  /** Conversations ({@code messages}). */
  CHAT("chat", "messages"),
  /** Raw prompt continuation (legacy completions). */
  COMPLETION("completions", "prompt"),
  /** Vectors for texts. */
  EMBEDDING("embeddings", "input"),
  /** Stop sequences. */
  STOP("stop", "stop"),
  /** Reproducible sampling from a seed. */
  SEED("seed", "seed"),
  /** Nucleus sampling. */
  TOP_P("top_p", "top_p"),
  /** Presence and frequency penalties. */
  PENALTIES("penalties", "presence_penalty"),
  /** Function tools the model may call. */
  TOOLS("tools", "tools"),
  /** {@code response_format: json_object}. */
  JSON_OBJECT("json_object", "response_format"),
  /** {@code response_format: json_schema}. */
  JSON_SCHEMA("json_schema", "response_format"),
  /** Image parts in user messages. */
  VISION("vision", "messages");

  private final String wire;
  private final String param;

  Feature(String wire, String param) {
    this.wire = wire;
    this.param = param;
  }

  public String wire() {
    return wire;
  }

  /** The OpenAI request parameter that asks for this feature, for error messages. */
  public String param() {
    return param;
  }

  /** The features a model needs to serve {@code r} as asked. */
  public static Set<Feature> required(InferRequest r) {
    Set<Feature> out = EnumSet.of(r.isCompletion() ? COMPLETION : CHAT);
    var s = r.sampling();
    if (!s.stop().isEmpty()) {
      out.add(STOP);
    }
    if (s.seed() != null) {
      out.add(SEED);
    }
    if (s.asksTopP()) {
      out.add(TOP_P);
    }
    if (s.asksPenalties()) {
      out.add(PENALTIES);
    }
    if (!r.tools().isEmpty()) {
      out.add(TOOLS);
    }
    switch (r.responseFormat().type()) {
      case "json_object" -> out.add(JSON_OBJECT);
      case "json_schema" -> out.add(JSON_SCHEMA);
      default -> { }
    }
    if (r.messages().stream().anyMatch(m -> !m.images().isEmpty())) {
      out.add(VISION);
    }
    return out;
  }

  /** Throws ERR_UNSUPPORTED naming the first parameter of {@code r} that {@code model} cannot honour. */
  public static void requireSupported(InferRequest r, ModelInfo model) {
    for (Feature f : required(r)) {
      if (!model.can(f)) {
        throw ProcessorException.unsupported(f.param(), "model '" + model.id() + "' (" + model.engine()
            + " engine) does not support " + f.wire());
      }
    }
  }

  /** Everything a generating engine that forwards options to a full server can do (no embeddings). */
  public static Set<Feature> generation() {
    return EnumSet.complementOf(EnumSet.of(EMBEDDING));
  }
}
