package io.hyperinfer.rpc;

import java.util.concurrent.CompletionStage;

/**
 * A non-blocking method handler: called on the connection's reader thread with its lock held, so it must return at
 * once; the response goes out when the stage completes. A failed stage sends REQUEST_ERROR with the failure as cause.
 */
@FunctionalInterface
public interface AsyncRpcHandler {
  CompletionStage<byte[]> handle(RpcRequest request);
}
