package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's end of a streamed reply: puts chunks back in sequence order (latency may reorder frames), holds the
 * end frame until every chunk before it arrived, and delivers exactly one terminal event. Thread-safe.
 */
final class ClientStream implements StreamCall {
  private static final Logger LOG = LoggerFactory.getLogger(ClientStream.class);

  private final StreamListener listener;
  private final Runnable onCancel;
  private final CompletableFuture<JsonNode> done = new CompletableFuture<>();
  private final TreeMap<Long, byte[]> early = new TreeMap<>();
  private long nextSeq;
  private long endCount = -1;
  private byte[] endBody;
  private boolean finished;

  ClientStream(StreamListener listener, Runnable onCancel) {
    this.listener = listener;
    this.onCancel = onCancel;
  }

  synchronized void chunk(long seq, byte[] body) {
    if (finished || seq < nextSeq) {
      return;
    }
    early.put(seq, body);
    flush();
  }

  synchronized void end(long count, byte[] body) {
    if (finished) {
      return;
    }
    endCount = count;
    endBody = body;
    flush();
  }

  synchronized void fail(NetException error) {
    if (finished) {
      return;
    }
    finished = true;
    early.clear();
    listener.onError(error);
    done.completeExceptionally(error);
  }

  @Override
  public void cancel() {
    boolean wasOpen;
    synchronized (this) {
      wasOpen = !finished;
    }
    if (wasOpen) {
      fail(NetException.cancelled());
      onCancel.run();
    }
  }

  @Override
  public CompletableFuture<JsonNode> done() {
    return done.copy();
  }

  synchronized boolean isFinished() {
    return finished;
  }

  private void flush() {
    while (!finished && !early.isEmpty() && early.firstKey() == nextSeq) {
      JsonNode chunk = Json.parse(early.pollFirstEntry().getValue());
      try {
        listener.onChunk(nextSeq, chunk);
      } catch (RuntimeException e) {
        // A listener that cannot take a chunk ends the stream here and stops the sender.
        LOG.error("stream listener failed on chunk {}", nextSeq, e);
        fail(NetException.cancelled());
        onCancel.run();
        return;
      }
      nextSeq++;
    }
    if (!finished && endCount >= 0 && nextSeq == endCount) {
      finished = true;
      JsonNode last = Json.parse(endBody);
      listener.onEnd(last);
      done.complete(last);
    }
  }
}
