package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.StreamCall;
import io.hyperinfer.worker.net.StreamListener;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's end of a streamed reply: puts chunks back in sequence order, holds the end frame until every chunk
 * before it arrived, and delivers exactly one terminal event. At most {@link #MAX_AHEAD} chunks and
 * {@link #MAX_AHEAD_BYTES} bytes wait for a missing one; a peer that sends further ahead, or ends after fewer chunks
 * than it sent, broke the format (ERR_BAD_FRAME). Whatever
 * ends the stream here runs {@code onClose} once with the error, or null on a clean end, so the owner forgets it and,
 * unless the peer ended it, tells the peer to stop. Thread-safe.
 */
final class ClientStream implements StreamCall {
  /** Chunks held while an earlier one is missing. */
  static final int MAX_AHEAD = 1024;
  /** Encoded bytes of the chunks held while an earlier one is missing. */
  static final long MAX_AHEAD_BYTES = 8L << 20;
  private static final Logger LOG = LoggerFactory.getLogger(ClientStream.class);

  private final StreamListener listener;
  private final Consumer<NetException> onClose;
  private final CompletableFuture<JsonNode> done = new CompletableFuture<>();
  private final TreeMap<Long, JsonNode> early = new TreeMap<>();
  private final TreeMap<Long, Integer> earlySizes = new TreeMap<>();
  private long earlyBytes;
  private long nextSeq;
  private long endCount = -1;
  private JsonNode endValue;
  private boolean finished;

  ClientStream(StreamListener listener, Consumer<NetException> onClose) {
    this.listener = listener;
    this.onClose = onClose;
  }

  /** Chunk {@code seq}, {@code size} bytes as it arrived. */
  synchronized void chunk(long seq, JsonNode data, int size) {
    if (finished || seq < nextSeq || early.containsKey(seq)) {
      return;
    }
    if (seq - nextSeq >= MAX_AHEAD || (endCount >= 0 && seq >= endCount)
        || (seq != nextSeq && earlyBytes + size > MAX_AHEAD_BYTES)) {
      fail(NetException.badFrame("chunk " + seq + " while waiting for " + nextSeq));
      return;
    }
    early.put(seq, data);
    earlySizes.put(seq, size);
    earlyBytes += size;
    flush();
  }

  synchronized void end(long count, JsonNode value) {
    if (finished) {
      return;
    }
    long received = early.isEmpty() ? nextSeq : early.lastKey() + 1;
    if (count < received || endCount >= 0) {
      fail(NetException.badFrame("end after " + count + " chunks, chunk " + (received - 1) + " received"));
      return;
    }
    endCount = count;
    endValue = value;
    flush();
  }

  /** Ends the stream with {@code error} unless it already ended. */
  void fail(NetException error) {
    synchronized (this) {
      if (finished) {
        return;
      }
      finished = true;
      early.clear();
      earlySizes.clear();
      earlyBytes = 0;
    }
    try {
      listener.onError(error);
    } catch (RuntimeException | Error e) {
      LOG.error("stream listener failed on error {}", error.code(), e);
    }
    done.completeExceptionally(error);
    onClose.accept(error);
  }

  @Override
  public void cancel() {
    fail(NetException.cancelled());
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
      JsonNode chunk = early.pollFirstEntry().getValue();
      earlyBytes -= earlySizes.pollFirstEntry().getValue();
      try {
        listener.onChunk(nextSeq, chunk);
      } catch (RuntimeException | Error e) {
        // A listener that cannot take a chunk ends the stream here and stops the sender.
        LOG.error("stream listener failed on chunk {}", nextSeq, e);
        fail(NetException.cancelled());
        return;
      }
      nextSeq++;
    }
    if (!finished && endCount >= 0 && nextSeq == endCount) {
      finished = true;
      try {
        listener.onEnd(endValue);
      } catch (RuntimeException | Error e) {
        LOG.error("stream listener failed on end", e);
      }
      done.complete(endValue);
      onClose.accept(null);
    }
  }
}
