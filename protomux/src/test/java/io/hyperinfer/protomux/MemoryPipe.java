package io.hyperinfer.protomux;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Two muxes joined by queues; {@link #flush()} delivers until both sides are quiet. Not thread-safe. */
final class MemoryPipe {
  final End a = new End();
  final End b = new End();

  MemoryPipe() {
    a.peer = b;
    b.peer = a;
  }

  /** Delivers queued messages both ways until none are left. */
  void flush() {
    while (!a.outbox.isEmpty() || !b.outbox.isEmpty()) {
      a.deliverOne();
      b.deliverOne();
    }
  }

  static final class End implements MessageTransport {
    final Protomux mux = new Protomux(this);
    final Deque<byte[]> outbox = new ArrayDeque<>();
    final List<byte[]> sent = new ArrayList<>();
    final List<Boolean> pauses = new ArrayList<>();
    End peer;
    boolean full;
    Throwable closedWith;
    boolean closed;

    @Override
    public boolean send(byte[] message) {
      outbox.add(message);
      sent.add(message);
      return !full;
    }

    @Override
    public void setReadPaused(boolean paused) {
      pauses.add(paused);
    }

    @Override
    public void close(Throwable cause) {
      closed = true;
      closedWith = cause;
      peer.mux.onTransportClosed();
    }

    void deliverOne() {
      byte[] message = outbox.poll();
      if (message != null) {
        peer.mux.receive(message);
      }
    }
  }
}
