package io.hyperinfer.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The launcher flags that choose the processors' engines, turned into the {@code processor.engine} and {@code
 * processor.embedding} config sections (the keys are documented in svc-processor's README). The OpenAI-compatible
 * server's key is never a flag: it is read from the environment variable named by {@code --openai-key-env}.
 */
public final class EngineOptions {
  /** The options of this mixin, to tell whether any was given. */
  private static final List<String> NAMES = List.of("--engine", "--ollama-url", "--ollama-models", "--openai-url",
      "--openai-models", "--openai-key-env", "--gguf", "--ctx-size", "--parallel", "--gpu-layers", "--embeddings",
      "--embedding-models");

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--engine", defaultValue = "builtin", description = "Text generation engine: builtin (not a "
      + "model: it echoes), auto (a local Ollama when one answers, else builtin), ollama, openai or llama "
      + "(default ${DEFAULT-VALUE}; llama when --gguf is given).")
  String engine;

  @Option(names = "--ollama-url", description = "Ollama base URL (default http://127.0.0.1:11434).")
  String ollamaUrl;

  @Option(names = "--ollama-models", split = ",", description = "Ollama models to serve (default: all it lists).")
  List<String> ollamaModels = List.of();

  @Option(names = "--openai-url", description = "OpenAI-compatible server base URL, without /v1 (default "
      + "http://127.0.0.1:8000).")
  String openaiUrl;

  @Option(names = "--openai-models", split = ",", description = "Models to serve from it (default: all it lists).")
  List<String> openaiModels = List.of();

  @Option(names = "--openai-key-env", defaultValue = "OPENAI_API_KEY", description = "Environment variable holding "
      + "its API key (default ${DEFAULT-VALUE}; unset = no key).")
  String openaiKeyEnv;

  @Option(names = "--gguf", description = "A GGUF model file for the in-process llama.cpp engine.")
  Path gguf;

  @Option(names = "--ctx-size", defaultValue = "4096", description = "llama.cpp context tokens, shared by the slots "
      + "(default ${DEFAULT-VALUE}).")
  int ctxSize;

  @Option(names = "--parallel", defaultValue = "2", description = "llama.cpp slots: generations at once (default "
      + "${DEFAULT-VALUE}).")
  int parallel;

  @Option(names = "--gpu-layers", defaultValue = "0", description = "llama.cpp layers offloaded to the GPU (default "
      + "${DEFAULT-VALUE}; needs a GPU build of the native library).")
  int gpuLayers;

  @Option(names = "--embeddings", defaultValue = "minilm", description = "Embedding engine: minilm (all-MiniLM-L6-v2 "
      + "in this process, nothing to install), ollama, openai or none (default ${DEFAULT-VALUE}).")
  String embeddings;

  @Option(names = "--embedding-models", split = ",", description = "Embedding models to serve with --embeddings "
      + "ollama or openai.")
  List<String> embeddingModels = List.of();

  /** The {@code processor.engine} section. */
  public ObjectNode engineJson() {
    String type = gguf != null && "builtin".equals(engine) ? "llama" : engine;
    ObjectNode out = Json.object().put("type", type);
    switch (type) {
      case "builtin" -> out.putObject("builtin");
      case "auto", "ollama" -> server(out.putObject("ollama"), ollamaUrl, ollamaModels);
      case "openai" -> server(out.putObject("openai"), openaiUrl, openaiModels).put("apiKeyEnv", openaiKeyEnv);
      case "llama" -> {
        if (gguf == null) {
          throw new ParameterException(command.commandLine(), "--engine llama needs --gguf FILE");
        }
        out.putObject("llama").put("modelPath", gguf.toString()).put("contextSize", ctxSize)
            .put("parallel", parallel).put("gpuLayers", gpuLayers);
      }
      default -> throw new ParameterException(command.commandLine(),
          "--engine must be builtin, auto, ollama, openai or llama");
    }
    return out;
  }

  /** The {@code processor.embedding} section. */
  public ObjectNode embeddingJson() {
    ObjectNode out = Json.object().put("type", embeddings);
    switch (embeddings) {
      case "minilm", "none" -> { }
      case "ollama" -> server(out.putObject("ollama"), ollamaUrl, embeddingModels);
      case "openai" -> server(out.putObject("openai"), openaiUrl, embeddingModels).put("apiKeyEnv", openaiKeyEnv);
      default -> throw new ParameterException(command.commandLine(),
          "--embeddings must be minilm, ollama, openai or none");
    }
    return out;
  }

  /** Whether any engine option was given on the command line (else the config decides). */
  public boolean given() {
    var parsed = command.commandLine().getParseResult();
    return parsed != null && NAMES.stream().anyMatch(parsed::hasMatchedOption);
  }

  /** These choices as a worker command's {@code --set} flags for {@code processor.engine} and {@code .embedding}. */
  public List<String> asSetFlags() {
    return List.of("--set", "processor.engine=" + engineJson(), "--set", "processor.embedding=" + embeddingJson());
  }

  /** Puts these choices into a worker's config tree, over {@code processor.engine} and {@code .embedding}. */
  public void applyTo(ObjectNode tree) {
    ObjectNode processor = tree.withObjectProperty("processor");
    processor.set("engine", engineJson());
    processor.set("embedding", embeddingJson());
  }

  private static ObjectNode server(ObjectNode section, String url, List<String> models) {
    if (url != null) {
      section.put("baseUrl", url);
    }
    if (!models.isEmpty()) {
      ArrayNode list = section.putArray("models");
      models.forEach(list::add);
    }
    return section;
  }

  /** What the processors run, for the startup line. */
  public String describe() {
    String gen = switch (engineJson().path("type").asText()) {
      case "builtin" -> "the builtin engine (not a language model: it echoes)";
      case "auto" -> "Ollama if one answers, else the builtin engine";
      case "llama" -> "llama.cpp on " + gguf.getFileName();
      default -> "the " + engine + " engine";
    };
    return gen + (embeddings.equals("none") ? "" : "; embeddings: " + (embeddings.equals("minilm")
        ? "all-MiniLM-L6-v2 in this process" : "the " + embeddings + " engine"));
  }
}
