package io.hyperinfer.udx;

/**
 * Hands a stream's received bytes, its end and its close to a {@link StreamListener} on the loop thread, in that
 * order, holding them back while paused. The listener and pause flag may be set from any thread; {@link #deliver}
 * runs on the loop thread only.
 */
final class PushDelivery {
  private final UdxStream stream;
  private final StreamBuffers buffers;
  private volatile StreamListener listener;
  private volatile boolean paused;
  private boolean endDelivered;
  private boolean closeDelivered;
  private boolean closed;
  private UdxException closeError;

  PushDelivery(UdxStream stream, StreamBuffers buffers) {
    this.stream = stream;
    this.buffers = buffers;
  }

  void listen(StreamListener l) {
    synchronized (this) {
      if (listener != null) {
        throw UdxException.badState("the stream already has a listener");
      }
      listener = l;
    }
  }

  boolean listening() {
    return listener != null;
  }

  void requirePull() {
    if (listener != null) {
      throw UdxException.badState("the stream's bytes go to its listener");
    }
  }

  void pause(boolean pause) {
    paused = pause;
  }

  /** The core closed with {@code error} (null when clean or destroyed here); loop thread. */
  void closed(UdxException error) {
    closed = true;
    closeError = error;
  }

  /** Delivers what is buffered (unless paused), then the end and the close once everything before them went. */
  void deliver() {
    StreamListener l = listener;
    if (l == null || closeDelivered) {
      return;
    }
    try {
      for (byte[] chunk; !paused && (chunk = buffers.poll()) != null; ) {
        l.onData(stream, chunk);
      }
      if (paused || buffers.unread() > 0) {
        return;
      }
      if (!endDelivered && buffers.eofReached()) {
        endDelivered = true;
        l.onEnd(stream);
      }
      if (closed) {
        closeDelivered = true;
        l.onClose(stream, closeError);
      }
    } catch (RuntimeException e) {
      stream.onListenerFailure(e);
    }
  }
}
