package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CompletableFuture;

/** Answers one RPC method later, for handlers that forward to other peers without holding a thread. */
@FunctionalInterface
public interface AsyncRequestHandler {
  CompletableFuture<JsonNode> handle(RpcCall call);
}
