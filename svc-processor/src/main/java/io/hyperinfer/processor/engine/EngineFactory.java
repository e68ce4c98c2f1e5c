package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.processor.engine.llama.LlamaEngine;
import io.hyperinfer.processor.engine.llama.LlamaSettings;
import io.hyperinfer.processor.engine.minilm.MiniLmEngine;
import java.time.Duration;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds engines from config.
 *
 * <p>{@code processor.engine} (generation): {@code type} "builtin" (default when nothing else is configured),
 * "ollama", "openai", "llama" (default when {@code llama.modelPath} is set) or "auto" (Ollama when one answers at
 * {@code ollama.baseUrl} with at least one model, else builtin). builtin: {@code builtin.modelId} (builtin-echo),
 * {@code builtin.firstTokenDelay}, {@code builtin.tokenDelay} (0); ollama/openai: {@link EngineSettings#from}
 * (base URLs http://127.0.0.1:11434 and http://127.0.0.1:8000; the OpenAI key from {@code apiKey} or the environment
 * variable {@code apiKeyEnv}, default OPENAI_API_KEY); llama: {@link LlamaSettings#from}.
 *
 * <p>{@code processor.embedding}: {@code type} "none" (default), "minilm" (in-process all-MiniLM-L6-v2, model id
 * {@code minilm.modelId}, default all-minilm-l6-v2), "ollama" or "openai" (same settings as above; {@code models}
 * names the embedding models).
 */
public final class EngineFactory {
  private static final Logger LOG = LoggerFactory.getLogger(EngineFactory.class);
  static final String OLLAMA_URL = "http://127.0.0.1:11434";
  static final String OPENAI_URL = "http://127.0.0.1:8000";

  private EngineFactory() {}

  public static InferenceEngine create(JsonNode engine) {
    return create(engine, System::getenv);
  }

  /** As {@link #create(JsonNode)}, reading environment variables through {@code env}. */
  public static InferenceEngine create(JsonNode engine, UnaryOperator<String> env) {
    String type = engine.path("type").asText(engine.path("llama").hasNonNull("modelPath") ? "llama" : "builtin");
    try {
      return switch (type) {
        case "builtin" -> builtin(engine.path("builtin"));
        case "ollama" -> new OllamaEngine(EngineSettings.from(engine.path("ollama"), OLLAMA_URL, env));
        case "openai" -> new OpenAiEngine(EngineSettings.from(engine.path("openai"), OPENAI_URL, env));
        case "llama" -> new LlamaEngine(LlamaSettings.from(engine.path("llama")));
        case "auto" -> auto(engine, env);
        default -> throw ProcessorException.badRequest("unknown engine type '" + type
            + "' (expected builtin, auto, ollama, openai or llama)");
      };
    } catch (IllegalArgumentException e) {
      throw ProcessorException.badRequest("invalid engine config: " + e.getMessage());
    }
  }

  /** The embedding engine named by {@code processor.embedding}, or null for none. */
  public static EmbeddingEngine createEmbedding(JsonNode embedding, UnaryOperator<String> env) {
    String type = embedding.path("type").asText("none");
    Set<Feature> embed = Set.of(Feature.EMBEDDING);
    try {
      return switch (type) {
        case "none" -> null;
        case "minilm" -> new MiniLmEngine(embedding.path("minilm").path("modelId").asText(MiniLmEngine.MODEL_ID));
        case "ollama" -> new OllamaEngine(EngineSettings.from(embedding.path("ollama"), OLLAMA_URL, env)
            .withFeatures(embed));
        case "openai" -> new OpenAiEngine(EngineSettings.from(embedding.path("openai"), OPENAI_URL, env)
            .withFeatures(embed));
        default -> throw ProcessorException.badRequest("unknown embedding engine type '" + type
            + "' (expected none, minilm, ollama or openai)");
      };
    } catch (IllegalArgumentException e) {
      throw ProcessorException.badRequest("invalid embedding engine config: " + e.getMessage());
    }
  }

  private static BuiltinEchoEngine builtin(JsonNode section) {
    return new BuiltinEchoEngine(section.path("modelId").asText(BuiltinEchoEngine.MODEL_ID),
        EngineJson.duration(section, "firstTokenDelay", Duration.ZERO),
        EngineJson.duration(section, "tokenDelay", Duration.ZERO));
  }

  /** Ollama when a server answers at the configured URL (127.0.0.1:11434 by default) with a model; else builtin. */
  private static InferenceEngine auto(JsonNode engine, UnaryOperator<String> env) {
    EngineSettings settings = EngineSettings.from(engine.path("ollama"), OLLAMA_URL, env);
    EngineSettings probe = new EngineSettings(settings.baseUrl(), settings.models(), Duration.ofMillis(500),
        Duration.ofSeconds(2), Duration.ofSeconds(2), "", settings.api());
    try {
      if (!new OllamaEngine(probe).models().isEmpty()) {
        LOG.info("engine auto: Ollama answers at {}; serving its models", settings.baseUrl());
        return new OllamaEngine(settings);
      }
      LOG.info("engine auto: Ollama at {} lists no model; using the builtin engine", settings.baseUrl());
    } catch (ProcessorException e) {
      LOG.info("engine auto: no Ollama at {} ({}); using the builtin engine", settings.baseUrl(), e.wireCode());
    }
    return builtin(engine.path("builtin"));
  }
}
