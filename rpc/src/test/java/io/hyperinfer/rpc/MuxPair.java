package io.hyperinfer.rpc;

import io.hyperinfer.protomux.MessageTransport;
import io.hyperinfer.protomux.Protomux;
import java.util.concurrent.LinkedBlockingQueue;

/** Two muxes joined by queues, each drained by its own virtual thread once started, like a socket pair. */
final class MuxPair implements AutoCloseable {
  private static final byte[] CLOSE = new byte[0];

  final End a = new End("a");
  final End b = new End("b");

  MuxPair() {
    a.peer = b;
    b.peer = a;
  }

  /** Starts delivery; call once both sides created their channels, as a connection does before reading. */
  MuxPair start() {
    a.start();
    b.start();
    return this;
  }

  @Override
  public void close() {
    a.mux.destroy(null);
  }

  static final class End implements MessageTransport {
    final Protomux mux = new Protomux(this);
    final LinkedBlockingQueue<byte[]> inbox = new LinkedBlockingQueue<>();
    final String name;
    volatile End peer;
    volatile boolean closed;

    End(String name) {
      this.name = name;
    }

    void start() {
      Thread.ofVirtual().name("pipe-" + name).start(() -> {
        try {
          while (true) {
            byte[] message = inbox.take();
            if (message == CLOSE) {
              mux.onTransportClosed();
              return;
            }
            mux.receive(message);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
    }

    @Override
    public boolean send(byte[] message) {
      if (!closed) {
        peer.inbox.add(message);
      }
      return true;
    }

    @Override
    public void close(Throwable cause) {
      if (!closed) {
        closed = true;
        inbox.add(CLOSE);
        peer.inbox.add(CLOSE);
      }
    }
  }
}
