package io.hyperinfer.processor.engine.llama;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
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
import io.hyperinfer.processor.engine.OffCarrier;
import io.hyperinfer.processor.engine.TokenSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real in-process inference with llama.cpp (through de.kherud:llama) on a GGUF file. Conversations are rendered with
 * the chat template from the GGUF's metadata (or the configured override) by llama.cpp's Jinja engine; the rendered
 * prompt is counted before anything runs, so a request that would overflow a slot's context is refused with
 * ERR_CONTEXT_LENGTH_EXCEEDED instead of being cut. Up to {@link LlamaSettings#parallel()} generations run at once
 * in llama.cpp's slots (continuous batching), with no lock here. Honours stop, seed, top_p, penalties and JSON
 * response formats (as grammars); tools and images are not offered.
 *
 * <p>Waiting for tokens happens in native code (JNI), which a virtual thread cannot leave: it would pin its carrier
 * until the generation ends, and with as many generations as carriers no other virtual thread of the process (RPC
 * readers and writers, keepalives, a client's cancel) would run. So each generation's native side runs on a platform
 * thread of a pool this engine owns, one per slot ({@link NativeGeneration}); the calling thread parks on the pieces.
 * Thread-safe.
 */
public final class LlamaEngine implements InferenceEngine {
  private static final Logger LOG = LoggerFactory.getLogger(LlamaEngine.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** The binding's system property naming where it extracts its native library. */
  static final String EXTRACTION_FOLDER = "de.kherud.llama.tmpdir";
  static final int CLOSE_WAIT_SECONDS = 10;
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
  private final ExecutorService natives;
  private final Set<NativeGeneration> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Loads the GGUF file; fails with ENGINE_UNAVAILABLE when it is missing or unreadable by llama.cpp. */
  public LlamaEngine(LlamaSettings settings) {
    if (!Files.isRegularFile(settings.modelPath())) {
      throw ProcessorException.unavailable("GGUF model file not found: " + settings.modelPath(), null);
    }
    this.settings = settings;
    try {
      // loading takes seconds for a real model, inside JNI: off the caller's carrier when it is a virtual thread
      this.model = OffCarrier.call("llama-load", () -> new LlamaModel(settings.toModelParameters()));
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      throw ProcessorException.unavailable("llama.cpp could not load " + settings.modelPath().getFileName(), e);
    }
    this.natives = Executors.newFixedThreadPool(settings.parallel(),
        Thread.ofPlatform().name("llama-" + settings.modelId() + "-", 0).daemon().factory());
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
    if (closed) {
      throw closedEngine(null);
    }
    String prompt = request.isCompletion() ? request.completionPrompt() : render(request.messages());
    int promptTokens = model.encode(prompt).length;
    int limit = settings.contextPerSlot();
    if (promptTokens + request.maxTokens() > limit) {
      throw ProcessorException.contextLength("this model's context is " + limit + " tokens per slot; the prompt is "
          + promptTokens + " tokens and max_tokens asks for " + request.maxTokens() + " more", request.isCompletion()
          ? "prompt" : "messages");
    }
    NativeGeneration generation = new NativeGeneration(model, parameters(prompt, request), request.maxTokens());
    running.add(generation);
    try {
      natives.execute(generation);
      cancel.onCancel(generation::cancel);
      return relay(generation, request.maxTokens(), promptTokens, sink, cancel);
    } catch (RejectedExecutionException e) {
      throw closedEngine(e);
    } finally {
      generation.cancel(); // a no-op once it ended; stops llama.cpp when the sink threw
      running.remove(generation);
    }
  }

  private static ProcessorException closedEngine(Throwable cause) {
    return ProcessorException.unavailable("the llama engine is closed", cause);
  }

  /** Hands the pieces to {@code sink} on the calling thread, which parks between them. */
  private Completion relay(NativeGeneration generation, int maxTokens, int promptTokens, TokenSink sink,
      CancelSignal cancel) {
    long start = System.nanoTime();
    long ttft = -1;
    int pieces = 0;
    while (!cancel.isCancelled()) {
      NativeGeneration.Item item;
      try {
        item = generation.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        cancel.cancel();
        break;
      }
      if (item instanceof NativeGeneration.Item.End end) {
        if (end.failure() != null) {
          throw ProcessorException.failed("llama.cpp failed: " + end.failure().getMessage());
        }
        if (closed && !cancel.isCancelled()) {
          throw closedEngine(null);
        }
        break;
      }
      if (ttft < 0) {
        ttft = System.nanoTime() - start;
      }
      pieces++;
      sink.token(((NativeGeneration.Item.Text) item).text());
    }
    String reason = cancel.isCancelled() ? Completion.CANCELLED
        : pieces >= maxTokens ? Completion.LENGTH : Completion.STOP;
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

  /**
   * Stops every generation, waits for the pool's threads to leave llama.cpp, then frees the model. Should a native
   * call still run after {@value #CLOSE_WAIT_SECONDS} s, the model is left allocated: freeing it under that call
   * would crash the process.
   */
  @Override
  public void close() {
    closed = true;
    natives.shutdown();
    running.forEach(NativeGeneration::cancel);
    try {
      if (!natives.awaitTermination(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
        LOG.warn("a llama.cpp call still runs {} s after close; the model stays loaded", CLOSE_WAIT_SECONDS);
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.warn("interrupted while llama.cpp calls ended; the model stays loaded");
      return;
    }
    model.close();
  }
}
