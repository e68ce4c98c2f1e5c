package io.hyperinfer.processor.engine;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.ChatMessage;
import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.contract.infer.InferRequest;
import io.hyperinfer.contract.infer.ResponseFormat;
import io.hyperinfer.contract.infer.Sampling;
import io.hyperinfer.contract.infer.ToolSpec;
import io.hyperinfer.contract.infer.Tools;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Small helpers for engine tests. */
public final class EngineTesting {
  private EngineTesting() {}

  /** "id:engine" of each model, for compact assertions. */
  public static List<String> names(List<ModelInfo> models) {
    return models.stream().map(m -> m.id() + ":" + m.engine()).toList();
  }

  /** A chat request with every option; {@code noPrompt} must be null (chat, not a completion). */
  public static InferRequest request(String model, List<ChatMessage> messages, String noPrompt, int maxTokens,
      Sampling sampling, List<ToolSpec> tools, JsonNode toolChoice, ResponseFormat format) {
    return new InferRequest(model, messages, noPrompt, maxTokens, sampling, new Tools(tools, toolChoice), format,
        Credentials.NONE, null);
  }

  /** How many of {@code calls} had ended when a virtual thread started now got to run. */
  public static long doneWhenAFreshVirtualThreadRuns(List<? extends CompletableFuture<?>> calls) throws Exception {
    CompletableFuture<Long> fresh = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> fresh.complete(calls.stream().filter(CompletableFuture::isDone).count()));
    return fresh.get(30, TimeUnit.SECONDS);
  }
}
