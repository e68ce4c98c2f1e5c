package io.hyperinfer.processor.engine.llama;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.args.LogFormat;
import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.processor.ProcessorException;
import io.hyperinfer.processor.engine.CancelSignal;
import io.hyperinfer.processor.engine.Completion;
import io.hyperinfer.processor.engine.Feature;
import io.hyperinfer.processor.engine.InferenceEngine;
import io.hyperinfer.processor.engine.ModelInfo;
import io.hyperinfer.processor.engine.TokenSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real in-process inference with llama.cpp (through de.kherud:llama) on a GGUF file. Conversations are rendered with
 * the chat template from the GGUF's metadata (or the configured override) by llama.cpp's Jinja engine; the rendered
 * prompt is counted before anything runs, so a request that would overflow a slot's context is refused with
 * ERR_CONTEXT_LENGTH_EXCEEDED instead of being cut. Up to {@link LlamaSettings#parallel()} generations run at once
 * in llama.cpp's slots (continuous batching), with no lock here. Honours stop, seed, top_p, penalties and JSON
 * response formats (as grammars); tools and images are not offered. Thread-safe.
 */
public final class LlamaEngine implements InferenceEngine {
  private static final Logger LOG = LoggerFactory.getLogger(LlamaEngine.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The binding's system property naming where it extracts its native library. */
  static final String EXTRACTION_FOLDER = "de.kherud.llama.tmpdir";
  static final EnumSet<Feature> FEATURES = EnumSet.of(Feature.CHAT, Feature.COMPLETION, Feature.STOP, Feature.SEED,
      Feature.TOP_P, Feature.PENALTIES, Feature.JSON_OBJECT, Feature.JSON_SCHEMA);

  static {
    useOwnExtractionFolder();
    // llama.cpp writes to stderr by default; route it through our logging, where it can be filtered by level
    LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> LOG.debug("llama.cpp {}: {}", level, message.strip()));
  }

  /**
   * The binding copies its native library to one fixed path in the temp folder and loads it from there; a second
   * process doing the same (two processors started together, parallel test JVMs) overwrites the file under the first
   * one's loader, which dies of SIGBUS. Each process gets a folder of its own unless the operator named one.
   */
  private static void useOwnExtractionFolder() {
    if (System.getProperty(EXTRACTION_FOLDER) != null) {
      return;
    }
    try {
      Path folder = Files.createTempDirectory("hyperinfer-llama-");
      folder.toFile().deleteOnExit(); // registered before the library file, so deleted after it
      System.setProperty(EXTRACTION_FOLDER, folder.toString());
    } catch (IOException e) {
      LOG.warn("no private folder for llama.cpp's native library ({}); using the shared temp folder", e.toString());
    }
  }

  private final LlamaSettings settings;
  private final LlamaModel model;
  private final long created = System.currentTimeMillis() / 1000;

  /** Loads the GGUF file; fails with ENGINE_UNAVAILABLE when it is missing or unreadable by llama.cpp. */
  public LlamaEngine(LlamaSettings settings) {
    if (!Files.isRegularFile(settings.modelPath())) {
      throw ProcessorException.unavailable("GGUF model file not found: " + settings.modelPath(), null);
    }
    this.settings = settings;
    try {
      this.model = new LlamaModel(settings.toModelParameters());
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw ProcessorException.unavailable("llama.cpp could not load " + settings.modelPath().getFileName(), e);
    }
  }

  @Override
  public String kind() {
    return "llama";
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(new ModelInfo(settings.modelId(), kind(), FEATURES, created));
  }

  public LlamaSettings settings() {
    return settings;
  }

  @Override
  public Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel) {
    if (!request.model().equals(settings.modelId())) {
      throw ProcessorException.modelNotFound(request.model());
    }
    String prompt = request.isCompletion() ? request.completionPrompt() : render(request.messages());
    int promptTokens = model.encode(prompt).length;
    int limit = settings.contextPerSlot();
    if (promptTokens + request.maxTokens() > limit) {
      throw ProcessorException.contextLength("this model's context is " + limit + " tokens per slot; the prompt is "
          + promptTokens + " tokens and max_tokens asks for " + request.maxTokens() + " more", request.isCompletion()
          ? "prompt" : "messages");
    }
    InferenceParameters params = parameters(prompt, request);
    long start = System.nanoTime();
    long ttft = -1;
    int pieces = 0;
    LlamaIterator it = model.generate(params).iterator();
    cancel.onCancel(it::cancel);
    while (!cancel.isCancelled() && it.hasNext()) {
      LlamaOutput out = it.next();
      if (!out.text.isEmpty()) {
        if (ttft < 0) {
          ttft = System.nanoTime() - start;
        }
        pieces++;
        sink.token(out.text);
      }
    }
    String reason = cancel.isCancelled() ? Completion.CANCELLED
        : pieces >= request.maxTokens() ? Completion.LENGTH : Completion.STOP;
    return new Completion(promptTokens, pieces, reason, ttft);
  }

  /** The conversation as the model was trained to read it: its chat template, ending where the assistant speaks. */
  String render(List<ChatMessage> messages) {
    ObjectNode body = JSON.createObjectNode().put("use_jinja", true);
    ArrayNode list = body.putArray("messages");
    for (ChatMessage m : messages) {
      list.addObject().put("role", m.role()).put("content", m.content());
    }
    try {
      return model.applyTemplate(body.toString());
    } catch (RuntimeException e) {
      throw ProcessorException.failed("llama.cpp could not apply the chat template: " + e.getMessage());
    }
  }

  /** What llama.cpp's server is asked for: package-private so a test can read the JSON it becomes. */
  static InferenceParameters parameters(String prompt, InferRequest request) {
    Sampling s = request.sampling();
    InferenceParameters p = new InferenceParameters(prompt).setNPredict(request.maxTokens())
        .setTemperature((float) s.temperature()).setCachePrompt(true);
    if (!s.stop().isEmpty()) {
      p.setStopStrings(s.stop().toArray(String[]::new));
    }
    if (s.seed() != null) {
      p.setSeed((int) (s.seed() & 0x7fffffffL));
    }
    if (s.topP() != null) {
      p.setTopP(s.topP().floatValue());
    }
    if (s.presencePenalty() != null) {
      p.setPresencePenalty(s.presencePenalty().floatValue());
    }
    if (s.frequencyPenalty() != null) {
      p.setFrequencyPenalty(s.frequencyPenalty().floatValue());
    }
    ResponseFormat f = request.responseFormat();
    if (!f.isText()) {
      String schema = f.schema() != null ? f.schema().toString() : "{\"type\":\"object\"}";
      p.setGrammar(LlamaModel.jsonSchemaToGrammar(schema));
    }
    return p;
  }

  @Override
  public void close() {
    model.close();
  }
}
