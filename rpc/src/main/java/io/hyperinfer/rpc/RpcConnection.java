package io.hyperinfer.rpc;

import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.protomux.Protomux;
import io.hyperinfer.rpc.internal.StreamTransport;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.secretstream.SecretStreamListener;
import io.hyperinfer.udx.UdxException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * One secret stream carrying a Protomux with one RPC session. The session is created once the stream's handshake is
 * done (its hash and keys feed the channel id and capability) and before any message is read, so nothing is lost.
 * When the RPC channel closes, the stream is ended, as @hyperswarm/rpc does. Thread-safe.
 */
public final class RpcConnection {
  private final BiFunction<RpcConnection, HandshakeResult, RpcSession> sessionFactory;
  private final CompletableFuture<RpcSession> session = new CompletableFuture<>();
  private volatile SecretStream stream;
  private volatile StreamTransport transport;
  private volatile Protomux mux;
  private volatile byte[] remotePublicKey;
  private volatile Throwable streamFailure;

  RpcConnection(BiFunction<RpcConnection, HandshakeResult, RpcSession> sessionFactory) {
    this.sessionFactory = sessionFactory;
  }

  /** Completes with the session once the stream is open; fails if it closes first. */
  public CompletableFuture<RpcSession> session() {
    return session;
  }

  /** The peer's static public key; null before the handshake. */
  public byte[] remotePublicKey() {
    byte[] key = remotePublicKey;
    return key == null ? null : key.clone();
  }

  /** The stream under this connection; null before it started. */
  public SecretStream stream() {
    return stream;
  }

  /**
   * Whether the stream closed because the peer went silent: nothing arrived for the stream's timeout, or UDX's
   * retransmissions ran out. Known before the session's pending requests fail, so their listeners may ask. Such a
   * peer may have taken up our channel and requests with its own open (or its answers) still on the way, so, unlike a
   * peer that closed the stream itself, it proves nothing about what it ran.
   */
  public boolean peerWentSilent() {
    for (Throwable t = streamFailure; t != null; t = t.getCause()) {
      if (t instanceof SecretStreamException s && s.code() == SecretStreamException.Code.TIMEOUT
          || t instanceof UdxException u && u.code() == UdxException.Code.ETIMEDOUT) {
        return true;
      }
    }
    return false;
  }

  /** Destroys the stream (pending requests fail with CHANNEL_CLOSED). */
  public void destroy() {
    SecretStream s = stream;
    if (s != null) {
      s.destroy();
    }
    session.completeExceptionally(RpcException.channelClosed());
  }

  /**
   * Fails a connection whose stream never came (its connect failed): pending and later calls fail with
   * {@code CHANNEL_CLOSED} carrying {@code cause}.
   */
  void fail(Throwable cause) {
    session.completeExceptionally(RpcException.channelClosed(cause));
    SecretStream s = stream;
    if (s != null) {
      s.destroy();
    }
  }

  /** A listener to give the stream's builder: the session is created on open, messages are fed as they come. */
  SecretStreamListener listener() {
    return new Listener();
  }

  /**
   * Drives an already started stream whose messages go to {@code read()}: over a transport that pushes (UDX) the
   * stream hands its reading side to this connection's listener, which then runs on the transport's thread as a
   * started one's does; over one read by a thread (TCP), a virtual thread reads and feeds the mux.
   */
  void attach(SecretStream started) {
    if (started.handOver(new Listener())) {
      return;
    }
    Thread.ofVirtual().name("rpc-reader").start(() -> {
      try {
        bind(started, started.opened().join());
        byte[] message;
        while ((message = started.read()) != null) {
          transport.awaitReadable();
          mux.receive(message);
        }
        onRemoteEnd();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        streamFailure = e; // read() throws why the stream closed
        session.completeExceptionally(RpcException.channelClosed());
      } finally {
        onStreamClosed();
      }
    });
  }

  private void bind(SecretStream opened, HandshakeResult handshake) {
    this.stream = opened;
    this.remotePublicKey = handshake.remotePublicKey();
    StreamTransport t = new StreamTransport(opened);
    Protomux m = new Protomux(t);
    this.transport = t;
    this.mux = m;
    t.start(m);
    try {
      session.complete(sessionFactory.apply(this, handshake));
    } catch (RpcException e) {
      session.completeExceptionally(e);
      opened.destroy(e);
    }
  }

  /** Called by the session when its channel closed: write what is queued, then end the stream. */
  void onSessionClosed() {
    StreamTransport t = transport;
    if (t != null) {
      t.endAfterWrites();
    }
  }

  Protomux mux() {
    return mux;
  }

  private void onRemoteEnd() {
    StreamTransport t = transport;
    if (t != null) {
      t.endAfterWrites();
    }
  }

  private void onStreamClosed() {
    StreamTransport t = transport;
    if (t != null) {
      t.stop();
      mux.onTransportClosed();
    }
    session.completeExceptionally(RpcException.channelClosed());
  }

  private final class Listener implements SecretStreamListener {
    private boolean corked; // reader thread only

    @Override
    public void onOpen(SecretStream opened) {
      bind(opened, opened.opened().join());
    }

    /** On the stream's reading thread, which may be a UDX loop: never blocks (pauses go to the stream). */
    @Override
    public void onMessage(SecretStream s, byte[] message) {
      if (!corked) {
        // Replies produced while this read's messages are handled leave together, in one frame, when it is done.
        corked = true;
        mux.cork();
      }
      mux.receive(message);
    }

    @Override
    public void onReadComplete(SecretStream s) {
      transport.onReceived();
      uncork();
    }

    private void uncork() {
      if (corked) {
        corked = false;
        mux.uncork();
      }
    }

    @Override
    public void onEnd(SecretStream s) {
      onRemoteEnd();
    }

    @Override
    public void onClose(SecretStream s, Throwable error) {
      streamFailure = error;
      onStreamClosed();
    }
  }
}
