package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.processor.ProcessorException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Builds the engine named by the {@code processor.engine} config section:
 * <ul>
 *   <li>{@code type}: "builtin" (default when nothing else is configured), "ollama", "openai" or "llama"
 *       (default when {@code llama.modelPath} is set);
 *   <li>builtin: {@code builtin.modelId} (default builtin-echo), {@code builtin.firstTokenDelay} and
 *       {@code builtin.tokenDelay} (default 0);
 *   <li>ollama/openai: see {@link EngineSettings#from} (default base URLs http://127.0.0.1:11434 and
 *       http://127.0.0.1:8000);
 *   <li>llama: {@code llama.modelPath}, {@code llama.modelId} (default the file name), {@code llama.contextSize}
 *       (default 2048).
 * </ul>
 */
public final class EngineFactory {
  private EngineFactory() {}

  public static InferenceEngine create(JsonNode engine) {
    JsonNode llama = engine.path("llama");
    String type = engine.path("type").asText(llama.hasNonNull("modelPath") ? "llama" : "builtin");
    try {
      return switch (type) {
        case "builtin" -> new BuiltinEchoEngine(engine.path("builtin").path("modelId").asText(BuiltinEchoEngine.MODEL_ID),
            EngineJson.duration(engine.path("builtin"), "firstTokenDelay", Duration.ZERO),
            EngineJson.duration(engine.path("builtin"), "tokenDelay", Duration.ZERO));
        case "ollama" -> new OllamaEngine(EngineSettings.from(engine.path("ollama"), "http://127.0.0.1:11434"));
        case "openai" -> new OpenAiEngine(EngineSettings.from(engine.path("openai"), "http://127.0.0.1:8000"));
        case "llama" -> {
          Path file = Path.of(llama.path("modelPath").asText());
          String name = file.getFileName().toString().replaceFirst("\\.gguf$", "");
          yield new LlamaEngine(llama.path("modelId").asText(name), file, llama.path("contextSize").asInt(2048));
        }
        default -> throw ProcessorException.badRequest("unknown engine type '" + type
            + "' (expected builtin, ollama, openai or llama)");
      };
    } catch (IllegalArgumentException e) {
      throw ProcessorException.badRequest("invalid engine config: " + e.getMessage());
    }
  }
}
