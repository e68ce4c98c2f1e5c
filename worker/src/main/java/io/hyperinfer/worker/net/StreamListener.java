package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;

/** Receives a streamed reply, in order; exactly one of onEnd or onError is called last. */
public interface StreamListener {
  /** A chunk; {@code seq} counts from 0 without gaps. */
  void onChunk(long seq, JsonNode chunk);

  void onEnd(JsonNode last);

  void onError(NetException error);
}
