package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.CancelSignal;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.StreamSink;

/**
 * The sink a streaming handler writes to: numbers chunks, sends exactly one terminal frame (End or Failed, whichever
 * comes first from the handler, its deadline or a cancel), and maps frames onto the exchange: chunks as events on the
 * caller's connection, the end as the open request's response, a failure as its error. Thread-safe.
 */
final class ServerStream implements StreamSink {
  private final long stream;
  private final Transport.Exchange exchange;
  private final CancelSignal cancel;
  private long seq;
  private boolean closed;

  ServerStream(long stream, Transport.Exchange exchange, CancelSignal cancel) {
    this.stream = stream;
    this.exchange = exchange;
    this.cancel = cancel;
  }

  @Override
  public synchronized boolean next(JsonNode chunk) {
    if (closed || cancel.isCancelled()) {
      return false;
    }
    send(new StreamFrame.Chunk(stream, seq++, chunk));
    return true;
  }

  @Override
  public synchronized void end(JsonNode last) {
    if (!closed) {
      closed = true;
      send(cancel.isCancelled() ? new StreamFrame.Failed(stream, NetException.cancelled())
          : new StreamFrame.End(stream, seq, last));
    }
  }

  @Override
  public synchronized void error(NetException error) {
    if (!closed) {
      closed = true;
      send(new StreamFrame.Failed(stream, error));
    }
  }

  /** Ends the stream with {@code error} unless it already ended; true when this call ended it. */
  synchronized boolean close(NetException error) {
    boolean open = !closed;
    error(error);
    return open;
  }

  @Override
  public boolean isCancelled() {
    return cancel.isCancelled();
  }

  private void send(StreamFrame.ToCaller frame) {
    switch (frame) {
      case StreamFrame.Chunk c -> exchange.event(StreamFrames.CHUNK, StreamFrames.encode(c));
      case StreamFrame.End e -> exchange.respond(StreamFrames.encode(e));
      case StreamFrame.Failed f -> exchange.fail(f.error());
    }
  }
}
