package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.CancelSignal;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.StreamSink;
import java.util.ArrayDeque;

/**
 * The sink a streaming handler writes to: numbers chunks, sends exactly one terminal frame (End or Failed, whichever
 * comes first from the handler, its deadline or a cancel), and maps frames onto the exchange: chunks as events on the
 * caller's connection, the end as the open request's response, a failure as its error. Thread-safe.
 *
 * <p>No lock of this sink is held while a frame goes out: the exchange takes the connection's (protomux) lock, and a
 * cancel or a lost connection ends the stream from the connection's own thread with that lock held. Frames are decided
 * and queued under the lock (so their order is the order of the decisions), then sent by one thread at a time outside
 * it; a thread that finds another sending leaves its frame to that one and returns at once. The queue holds at most
 * one frame per thread writing to this sink.
 */
final class ServerStream implements StreamSink {
  private final long stream;
  private final Transport.Exchange exchange;
  private final CancelSignal cancel;
  private final Runnable onTerminal;
  private final ArrayDeque<StreamFrame.ToCaller> outbox = new ArrayDeque<>();
  private long seq;
  private boolean closed;
  private boolean sending;

  /**
   * {@code onTerminal} runs when the handler itself ends the stream ({@link #end}, {@link #error}), after the terminal
   * frame is decided and before it is sent; not when a deadline or cancel closes it.
   */
  ServerStream(long stream, Transport.Exchange exchange, CancelSignal cancel, Runnable onTerminal) {
    this.stream = stream;
    this.exchange = exchange;
    this.cancel = cancel;
    this.onTerminal = onTerminal;
  }

  @Override
  public boolean next(JsonNode chunk) {
    boolean drain;
    synchronized (this) {
      if (closed || cancel.isCancelled()) {
        return false;
      }
      drain = queue(new StreamFrame.Chunk(stream, seq++, chunk));
    }
    flush(drain);
    return true;
  }

  @Override
  public void end(JsonNode last) {
    boolean drain;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      drain = queue(cancel.isCancelled() ? new StreamFrame.Failed(stream, NetException.cancelled())
          : new StreamFrame.End(stream, seq, last));
    }
    onTerminal.run();
    flush(drain);
  }

  @Override
  public void error(NetException error) {
    close(error, true);
  }

  /** Ends the stream with {@code error} unless it already ended (a deadline, a cancel); true when this call ended it. */
  boolean close(NetException error) {
    return close(error, false);
  }

  private boolean close(NetException error, boolean byHandler) {
    boolean drain;
    synchronized (this) {
      if (closed) {
        return false;
      }
      closed = true;
      drain = queue(new StreamFrame.Failed(stream, error));
    }
    if (byHandler) {
      onTerminal.run();
    }
    flush(drain);
    return true;
  }

  @Override
  public boolean isCancelled() {
    return cancel.isCancelled();
  }

  /** Queues {@code frame}; true when the caller is to send the queue (nobody else is sending). Holds the lock. */
  private boolean queue(StreamFrame.ToCaller frame) {
    outbox.add(frame);
    if (sending) {
      return false;
    }
    sending = true;
    return true;
  }

  /** Sends queued frames, without the lock, until none is left; only the thread that {@link #queue} chose. */
  private void flush(boolean drain) {
    if (!drain) {
      return;
    }
    StreamFrame.ToCaller frame = null;
    try {
      while (true) {
        synchronized (this) {
          frame = outbox.poll();
          if (frame == null) {
            sending = false;
            return;
          }
        }
        send(frame);
      }
    } finally {
      if (frame != null) {
        // send threw: give up the turn so a later frame is not stuck behind it.
        synchronized (this) {
          sending = false;
        }
      }
    }
  }

  private void send(StreamFrame.ToCaller frame) {
    switch (frame) {
      case StreamFrame.Chunk c -> exchange.event(StreamFrames.CHUNK, StreamFrames.encode(c));
      case StreamFrame.End e -> exchange.respond(StreamFrames.encode(e));
      case StreamFrame.Failed f -> exchange.fail(f.error());
    }
  }
}
