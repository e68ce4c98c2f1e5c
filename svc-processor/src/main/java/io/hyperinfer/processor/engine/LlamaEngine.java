package io.hyperinfer.processor.engine;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real in-process inference with llama.cpp (through de.kherud:llama) on a GGUF file. One generation at a time per
 * model instance (llama.cpp slots are the limit), so calls are serialised. Thread-safe.
 */
public final class LlamaEngine implements InferenceEngine {
  private static final Logger LOG = LoggerFactory.getLogger(LlamaEngine.class);

  static {
    // llama.cpp writes to stderr by default; route it through our logging, where it can be filtered by level
    LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> LOG.debug("llama.cpp {}: {}", level, message.strip()));
  }

  private final String modelId;
  private final LlamaModel model;

  /** Loads {@code ggufFile}; fails with ENGINE_UNAVAILABLE when it is missing or unreadable by llama.cpp. */
  public LlamaEngine(String modelId, Path ggufFile, int contextSize) {
    if (!Files.isRegularFile(ggufFile)) {
      throw ProcessorException.unavailable("GGUF model file not found: " + ggufFile, null);
    }
    this.modelId = modelId;
    try {
      this.model = new LlamaModel(new ModelParameters().setModel(ggufFile.toString()).setCtxSize(contextSize));
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw ProcessorException.unavailable("llama.cpp could not load " + ggufFile.getFileName(), e);
    }
  }

  @Override
  public String kind() {
    return "llama";
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(new ModelInfo(modelId, kind()));
  }

  @Override
  public synchronized Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel) {
    if (!request.model().equals(modelId)) {
      throw ProcessorException.modelNotFound(request.model());
    }
    String prompt = request.promptText() + "assistant: ";
    InferenceParameters params = new InferenceParameters(prompt).setNPredict(request.maxTokens())
        .setTemperature((float) request.temperature()).setStopStrings("\nuser:", "\nsystem:");
    long start = System.nanoTime();
    long ttft = -1;
    int pieces = 0;
    LlamaIterator it = model.generate(params).iterator();
    cancel.onCancel(it::cancel);
    while (it.hasNext() && !cancel.isCancelled()) {
      LlamaOutput out = it.next();
      if (!out.text.isEmpty()) {
        if (ttft < 0) {
          ttft = System.nanoTime() - start;
        }
        pieces++;
        sink.token(out.text);
      }
    }
    int promptTokens = model.encode(prompt).length;
    String reason = cancel.isCancelled() ? Completion.CANCELLED
        : pieces >= request.maxTokens() ? Completion.LENGTH : Completion.STOP;
    return new Completion(promptTokens, pieces, reason, ttft);
  }

  @Override
  public void close() {
    model.close();
  }
}
