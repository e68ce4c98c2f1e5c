package io.hyperinfer.rpc;

/**
 * A blocking method handler; each call runs on its own virtual thread. Throwing sends REQUEST_ERROR with the thrown
 * error as the cause (use {@link RpcException#application} to send a code and context).
 */
@FunctionalInterface
public interface RpcHandler {
  /** Returns the response value (null is sent as null). */
  byte[] handle(RpcRequest request) throws Exception;
}
