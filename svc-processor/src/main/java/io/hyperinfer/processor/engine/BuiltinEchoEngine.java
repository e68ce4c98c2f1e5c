package io.hyperinfer.processor.engine;

import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.processor.ProcessorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine used when no real model is configured. It is not a language model and says so in every answer: it states
 * what it is, then repeats the last user message (or the raw prompt) piece by piece, so the whole streaming path
 * (tokens, usage, timings, cancellation) runs for real without pretending to think. Deterministic, so it honours stop
 * sequences and seeds; it refuses what it cannot do (top_p, penalties, tools, JSON formats, images). Thread-safe.
 */
public final class BuiltinEchoEngine implements InferenceEngine {
  public static final String MODEL_ID = "builtin-echo";
  public static final String PREAMBLE = "[builtin-echo: not a language model; it repeats your last message] ";

  private static final Pattern PIECE = Pattern.compile("\\s*(?:[\\p{L}\\p{N}]{1,4}|[^\\s\\p{L}\\p{N}])");

  private final String modelId;
  private final Duration tokenDelay;
  private final Duration firstTokenDelay;
  private final long created = System.currentTimeMillis() / 1000;

  /** @param tokenDelay pause before each piece, so demos can show streaming and kill a processor mid-run */
  public BuiltinEchoEngine(String modelId, Duration tokenDelay) {
    this(modelId, Duration.ZERO, tokenDelay);
  }

  /**
   * @param firstTokenDelay extra pause before the first piece, standing in for a model's prompt processing
   * @param tokenDelay pause before each piece
   */
  public BuiltinEchoEngine(String modelId, Duration firstTokenDelay, Duration tokenDelay) {
    if (modelId == null || modelId.isBlank()) {
      throw new IllegalArgumentException("model id is missing");
    }
    this.modelId = modelId;
    this.tokenDelay = tokenDelay == null ? Duration.ZERO : tokenDelay;
    this.firstTokenDelay = firstTokenDelay == null ? Duration.ZERO : firstTokenDelay;
  }

  public BuiltinEchoEngine() {
    this(MODEL_ID, Duration.ZERO);
  }

  @Override
  public String kind() {
    return "builtin";
  }

  @Override
  public List<ModelInfo> models() {
    return List.of(new ModelInfo(modelId, kind(),
        EnumSet.of(Feature.CHAT, Feature.COMPLETION, Feature.STOP, Feature.SEED), created));
  }

  @Override
  public Completion stream(InferRequest request, TokenSink sink, CancelSignal cancel) {
    if (!request.model().equals(modelId)) {
      throw ProcessorException.modelNotFound(request.model());
    }
    CountDownLatch cancelled = new CountDownLatch(1);
    cancel.onCancel(cancelled::countDown);
    long start = System.nanoTime();
    long ttft = -1;
    int emitted = 0;
    String answer = PREAMBLE + request.lastUserContent();
    int stop = request.sampling().stopIndex(answer);
    for (String piece : pieces(stop < 0 ? answer : answer.substring(0, stop))) {
      if (emitted == request.maxTokens()) {
        return new Completion(TokenCounter.count(request), emitted, Completion.LENGTH, ttft);
      }
      if ((emitted == 0 && pause(cancelled, firstTokenDelay)) || pause(cancelled, tokenDelay)
          || cancel.isCancelled()) {
        return new Completion(TokenCounter.count(request), emitted, Completion.CANCELLED, ttft);
      }
      sink.token(piece);
      if (ttft < 0) {
        ttft = System.nanoTime() - start;
      }
      emitted++;
    }
    return new Completion(TokenCounter.count(request), emitted, Completion.STOP, ttft);
  }

  /** True when cancelled during the pause. */
  private static boolean pause(CountDownLatch cancelled, Duration delay) {
    if (delay.isZero()) {
      return false;
    }
    try {
      return cancelled.await(delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = PIECE.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
