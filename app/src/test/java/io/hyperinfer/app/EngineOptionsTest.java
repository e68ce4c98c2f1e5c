package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine;

class EngineOptionsTest {
  private static EngineOptions parse(String... args) {
    UpCommand command = new UpCommand();
    new CommandLine(command).parseArgs(args);
    return command.engines;
  }

  @Test
  void shouldDefaultToBuiltinWithEmbeddedMiniLm() {
    EngineOptions o = parse();
    assertEquals("builtin", o.engineJson().path("type").asText());
    assertEquals("minilm", o.embeddingJson().path("type").asText());
    assertTrue(o.describe().contains("not a language model"));
  }

  @Test
  void shouldBuildOllamaOpenAiAndLlamaSectionsFromFlags() {
    JsonNode ollama = parse("--engine", "auto", "--ollama-url", "http://127.0.0.1:11500", "--ollama-models",
        "qwen2:0.5b,llama3").engineJson();
    assertEquals("auto", ollama.path("type").asText());
    assertEquals("http://127.0.0.1:11500", ollama.at("/ollama/baseUrl").asText());
    assertEquals("llama3", ollama.at("/ollama/models/1").asText());
    EngineOptions openai = parse("--engine", "openai", "--openai-url", "http://127.0.0.1:9000", "--openai-key-env",
        "MY_KEY", "--embeddings", "openai", "--embedding-models", "text-embedding-3-small");
    assertEquals("MY_KEY", openai.engineJson().at("/openai/apiKeyEnv").asText());
    assertEquals("text-embedding-3-small", openai.embeddingJson().at("/openai/models/0").asText());
    JsonNode llama = parse("--gguf", "/models/q.gguf", "--gpu-layers", "33", "--parallel", "4", "--ctx-size", "8192")
        .engineJson();
    assertEquals("llama", llama.path("type").asText());
    assertEquals(33, llama.at("/llama/gpuLayers").asInt());
    assertEquals(4, llama.at("/llama/parallel").asInt());
    assertEquals(8192, llama.at("/llama/contextSize").asInt());
    assertEquals("none", parse("--embeddings", "none").embeddingJson().path("type").asText());
  }

  @Test
  void shouldRefuseIncompleteOrUnknownChoices() {
    assertThrows(ParameterException.class, () -> parse("--engine", "llama").engineJson());
    assertThrows(ParameterException.class, () -> parse("--engine", "magic").engineJson());
    assertThrows(ParameterException.class, () -> parse("--embeddings", "magic").embeddingJson());
  }
}
