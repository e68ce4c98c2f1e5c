package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Answers one RPC method. Runs on its own virtual thread, so it may block. Throw {@link NetException} for an error the
 * caller should see; anything else becomes ERR_INTERNAL with a generic message and is logged on this side only.
 */
@FunctionalInterface
public interface RequestHandler {
  JsonNode handle(RpcCall call) throws Exception;
}
