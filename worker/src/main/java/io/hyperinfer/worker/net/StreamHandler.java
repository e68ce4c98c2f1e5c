package io.hyperinfer.worker.net;

/**
 * Answers one streaming method (token streaming). Runs on its own virtual thread. Returning without ending the sink
 * ends it with JSON null; throwing ends it with an error frame (ERR_INTERNAL unless an {@link NetException}).
 */
@FunctionalInterface
public interface StreamHandler {
  void handle(RpcCall call, StreamSink sink) throws Exception;
}
