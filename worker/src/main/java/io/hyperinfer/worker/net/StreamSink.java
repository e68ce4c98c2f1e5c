package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a streaming handler writes: any number of chunks, then one end or one error. Calls after the terminal frame
 * are ignored. Thread-safe.
 */
public interface StreamSink {
  /** Sends one chunk; returns false when the stream is already closed or cancelled. */
  boolean next(JsonNode chunk);

  /** Ends the stream with a final value (JSON null when there is none). */
  void end(JsonNode last);

  /** Ends the stream with an error. */
  void error(NetException error);

  /** Whether the caller cancelled. */
  boolean isCancelled();
}
