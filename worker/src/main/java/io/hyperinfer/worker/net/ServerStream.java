package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.hyperinfer.worker.Json;

/** The sink a streaming handler writes to: numbers chunks, sends one terminal frame, honours cancel. Thread-safe. */
final class ServerStream implements StreamSink {
  private final ReplyPort port;
  private final CancelSignal cancel;
  private long seq;
  private boolean closed;

  ServerStream(ReplyPort port, CancelSignal cancel) {
    this.port = port;
    this.cancel = cancel;
  }

  @Override
  public synchronized boolean next(JsonNode chunk) {
    if (closed || cancel.isCancelled()) {
      return false;
    }
    port.chunk(seq++, Json.toBytes(chunk == null ? NullNode.getInstance() : chunk));
    return true;
  }

  @Override
  public synchronized void end(JsonNode last) {
    if (closed) {
      return;
    }
    closed = true;
    port.end(seq, Json.toBytes(last == null ? NullNode.getInstance() : last));
  }

  @Override
  public synchronized void error(NetException error) {
    if (closed) {
      return;
    }
    closed = true;
    port.error(Json.toBytes(error.toJson()));
  }

  @Override
  public boolean isCancelled() {
    return cancel.isCancelled();
  }
}
