package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/** A streaming request in flight. */
public interface StreamCall {
  /** Stops the stream; the handler's cancel signal fires and the listener gets ERR_CANCELLED. */
  void cancel();

  /** Completes with the end frame's value, or exceptionally with an {@link NetException}. */
  CompletableFuture<JsonNode> done();
}
