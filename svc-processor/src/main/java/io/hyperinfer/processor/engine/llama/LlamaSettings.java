package io.hyperinfer.processor.engine.llama;

import com.fasterxml.jackson.databind.JsonNode;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.GpuSplitMode;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How to load a GGUF file into llama.cpp, from the {@code processor.engine.llama} config section.
 *
 * @param contextSize context tokens in total, shared equally by the slots (default 4096)
 * @param parallel slots: generations that run at once (default 2; match {@code processor.concurrency})
 * @param gpuLayers layers offloaded to the GPU (default 0; needs a GPU build of the native library)
 * @param mainGpu the GPU that holds the model when not split (default 0)
 * @param splitMode how to split across GPUs: "none", "layer" (default) or "row"
 * @param tensorSplit share of the model per GPU, e.g. "3,1" (empty for llama.cpp's default)
 * @param threads CPU threads for generation (0 = llama.cpp's default)
 * @param chatTemplate a Jinja chat template overriding the GGUF's {@code tokenizer.chat_template} (empty = the GGUF's)
 */
public record LlamaSettings(String modelId, Path modelPath, int contextSize, int parallel, int gpuLayers, int mainGpu,
    String splitMode, String tensorSplit, int threads, String chatTemplate) {

  public LlamaSettings {
    if (modelId == null || modelId.isBlank()) {
      throw new IllegalArgumentException("llama model id is missing");
    }
    if (contextSize < 64 || parallel < 1 || contextSize / parallel < 64) {
      throw new IllegalArgumentException("llama needs contextSize >= 64 per slot and parallel >= 1");
    }
    if (gpuLayers < 0 || mainGpu < 0 || threads < 0) {
      throw new IllegalArgumentException("llama gpuLayers, mainGpu and threads must be >= 0");
    }
    splitMode = splitMode == null ? "layer" : splitMode.toLowerCase(Locale.ROOT);
    if (!splitMode.equals("none") && !splitMode.equals("layer") && !splitMode.equals("row")) {
      throw new IllegalArgumentException("llama splitMode must be none, layer or row");
    }
    tensorSplit = tensorSplit == null ? "" : tensorSplit;
    if (!tensorSplit.isEmpty() && !tensorSplit.matches("\\d+(\\.\\d+)?(,\\d+(\\.\\d+)?)*")) {
      throw new IllegalArgumentException("llama tensorSplit must look like 3,1");
    }
    chatTemplate = chatTemplate == null ? "" : chatTemplate;
  }

  /** Defaults for {@code file}: model id = file name without .gguf. */
  public static LlamaSettings of(Path file) {
    return new LlamaSettings(defaultId(file), file, 4096, 2, 0, 0, "layer", "", 0, "");
  }

  public static LlamaSettings from(JsonNode section) {
    if (!section.hasNonNull("modelPath")) {
      throw new IllegalArgumentException("llama.modelPath is missing");
    }
    Path file = Path.of(section.path("modelPath").asText());
    return new LlamaSettings(section.path("modelId").asText(defaultId(file)), file,
        section.path("contextSize").asInt(4096), section.path("parallel").asInt(2),
        section.path("gpuLayers").asInt(0), section.path("mainGpu").asInt(0), section.path("splitMode").asText("layer"),
        section.path("tensorSplit").asText(""), section.path("threads").asInt(0),
        section.path("chatTemplate").asText(""));
  }

  private static String defaultId(Path file) {
    return file.getFileName().toString().replaceFirst("\\.gguf$", "");
  }

  public LlamaSettings withParallel(int slots) {
    return new LlamaSettings(modelId, modelPath, contextSize, slots, gpuLayers, mainGpu, splitMode, tensorSplit,
        threads, chatTemplate);
  }

  /** Context tokens each slot has: llama.cpp divides the context equally. */
  public int contextPerSlot() {
    return contextSize / parallel;
  }

  /**
   * llama.cpp's parameters: continuous batching over {@code parallel} slots, Jinja chat templates, no context shift
   * (an overflow is refused up front instead of silently dropping the start of the conversation), GPU settings as
   * given.
   */
  public ModelParameters toModelParameters() {
    ModelParameters p = new ModelParameters().setModel(modelPath.toString()).setCtxSize(contextSize)
        .setParallel(parallel).enableContBatching().enableJinja().disableContextShift()
        .setGpuLayers(gpuLayers).setMainGpu(mainGpu)
        .setSplitMode(GpuSplitMode.valueOf(splitMode.toUpperCase(Locale.ROOT)));
    if (!tensorSplit.isEmpty()) {
      p.setTensorSplit(tensorSplit);
    }
    if (threads > 0) {
      p.setThreads(threads);
    }
    if (!chatTemplate.isEmpty()) {
      p.setChatTemplate(chatTemplate);
    }
    return p;
  }
}
