package io.hyperinfer.hyperdht;

import io.hyperinfer.protomux.MessageTransport;
import io.hyperinfer.protomux.Protomux;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamListener;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link Protomux} over a secret stream that may not exist yet (JS {@code Protomux.from(stream)} for the blind
 * relay's control connection): it is the stream's listener, so inbound messages reach the mux from the first one, and
 * it writes outbound messages from one virtual thread once the stream is {@link #attach attached}. The queue is
 * bounded: a peer that stops reading cannot make it grow; overflowing it destroys the stream. Thread-safe.
 */
final class MuxStream implements MessageTransport, SecretStreamListener {
  /** Control messages waiting to be written; a blind-relay session sends a few per pairing. */
  static final int MAX_QUEUED = 1024;
  private static final byte[] STOP = new byte[0];
  private static final byte[] END = new byte[0];

  private final Protomux mux = new Protomux(this);
  private final LinkedBlockingQueue<byte[]> out = new LinkedBlockingQueue<>(MAX_QUEUED);
  private final CompletableFuture<SecretStream> stream = new CompletableFuture<>();
  private final CompletableFuture<String> closed = new CompletableFuture<>();
  private volatile boolean stopped;

  MuxStream() {
    Thread.ofVirtual().name("hyperdht-mux-writer").start(this::writeLoop);
  }

  Protomux mux() {
    return mux;
  }

  /** The stream the mux runs over; its messages must come to this object (it is the stream's listener). */
  void attach(SecretStream s) {
    if (stream.complete(s)) {
      return;
    }
    if (stream.isCompletedExceptionally() || stream.join() != s) {
      s.destroy(); // destroyed before it came, or a second stream: neither is ours to keep
    }
  }

  /** Completes, with why, when the stream closed or the mux was destroyed. */
  CompletableFuture<String> closed() {
    return closed;
  }

  /** Ends the stream after what is queued (a clean close of the control connection); {@code why} is kept. */
  void end(String why) {
    if (!stream.isDone()) {
      destroy(why); // nothing was ever written: there is nothing to end cleanly
      return;
    }
    if (!stopped) {
      stopped = true;
      if (!out.offer(END)) {
        destroy(why);
        return;
      }
      closed.complete(why);
    }
  }

  /** Destroys the stream now (or as soon as it is attached); {@code why} is what {@link #closed} completes with. */
  void destroy(String why) {
    stop(why);
    stream.completeExceptionally(HyperDhtException.of(HyperDhtException.Code.RELAY_ABORTED, "closed"));
    stream.thenAccept(SecretStream::destroy);
  }

  @Override
  public boolean send(byte[] message) {
    if (stopped) {
      return false;
    }
    if (!out.offer(message)) { // a peer that reads nothing while we keep sending is dropped, not buffered for
      destroy("the relay read nothing while " + MAX_QUEUED + " messages waited");
      return false;
    }
    return true;
  }

  @Override
  public void close(Throwable cause) {
    destroy("our protomux dropped it: " + cause);
  }

  @Override
  public void onOpen(SecretStream s) {
    attach(s);
  }

  @Override
  public void onMessage(SecretStream s, byte[] message) {
    mux.receive(message);
  }

  @Override
  public void onEnd(SecretStream s) {
    end("the relay ended the control stream");
  }

  @Override
  public void onClose(SecretStream s, Throwable error) {
    stop(error == null ? "the control stream closed" : "the control stream failed: " + error.getMessage());
    mux.onTransportClosed();
  }

  private void stop(String why) {
    stopped = true;
    out.clear();
    out.offer(STOP);
    closed.complete(why);
  }

  private void writeLoop() {
    try {
      SecretStream s = stream.join();
      while (true) {
        byte[] message = out.take();
        if (message == STOP) {
          return;
        }
        if (message == END) {
          s.end();
          return;
        }
        s.write(message);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) { // the stream failed under us (or never came): nothing more can be written
      destroy("writing failed: " + e.getMessage());
      mux.onTransportClosed();
    }
  }
}
