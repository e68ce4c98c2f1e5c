package io.hyperinfer.client;

import java.util.concurrent.CompletableFuture;

/** A streaming answer in flight. */
public interface InferCall {
  /** Stops the answer; the processor stops generating. {@link #done()} fails with ERR_CANCELLED. */
  void cancel();

  /** Completes with the whole answer, or fails with a {@link ClientException}. */
  CompletableFuture<Answer> done();
}
