package io.hyperinfer.rpc;

import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamBuilder;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The client side of @hyperswarm/rpc over one secret stream: requests and events to the server whose public key is
 * the channel id. Calls made before the handshake finished are sent once it has. Thread-safe.
 */
public final class RpcClient implements AutoCloseable {
  private final RpcConnection connection;
  private final byte[] serverPublicKey; // null on a shared connection: the peer's key, known after the handshake

  private RpcClient(byte[] serverPublicKey, byte[] capabilityKey, Capability capability) {
    this(serverPublicKey, capabilityKey, capability, new Responders());
  }

  private RpcClient(byte[] serverPublicKey, byte[] capabilityKey, Capability capability, Responders responders) {
    this.serverPublicKey = serverPublicKey.clone();
    this.connection = new RpcConnection((conn, handshake) -> {
      CapabilityCheck check = capabilityKey == null ? null
          : new CapabilityCheck(capability, capabilityKey, conn.stream().isInitiator(), handshake.handshakeHash());
      return new RpcSession(conn.mux(), this.serverPublicKey, handshake.remotePublicKey(), responders, check,
          session -> conn.onSessionClosed());
    });
  }

  /** A client over a connection built elsewhere (a shared one: {@link RpcServer#share}). */
  RpcClient(RpcConnection connection) {
    this.serverPublicKey = null;
    this.connection = connection;
  }

  /** Starts {@code builder}'s stream with this client as its listener. */
  public static RpcClient start(SecretStreamBuilder builder, byte[] serverPublicKey) {
    return start(builder, serverPublicKey, null, new Capability());
  }

  /** As {@link #start(SecretStreamBuilder, byte[])}, proving knowledge of {@code capabilityKey} to the server. */
  public static RpcClient start(SecretStreamBuilder builder, byte[] serverPublicKey, byte[] capabilityKey,
      Capability capability) {
    RpcClient client = new RpcClient(serverPublicKey, capabilityKey, capability);
    builder.listener(client.connection.listener()).start();
    return client;
  }

  /**
   * A client whose stream comes later: start it with {@code connection().listener()}, or {@code connection().fail}
   * it when the connect fails. {@code responders} serve what the server sends this way (events).
   */
  static RpcClient pending(byte[] serverPublicKey, byte[] capabilityKey, Capability capability,
      Responders responders) {
    return new RpcClient(serverPublicKey, capabilityKey, capability, responders);
  }

  /** Uses an already started stream whose messages go to {@link SecretStream#read()}. */
  public static RpcClient attach(SecretStream stream, byte[] serverPublicKey) {
    RpcClient client = new RpcClient(serverPublicKey, null, new Capability());
    client.connection.attach(stream);
    return client;
  }

  /** Sends a request; fails with {@link RpcException} (remote error, TIMEOUT_EXCEEDED, CHANNEL_CLOSED...). */
  public CompletableFuture<byte[]> request(String method, byte[] value, Duration timeout) {
    RpcSession ready = ready();
    if (ready != null) {
      return ready.request(method, value, timeout);
    }
    return connection.session().thenCompose(s -> s.request(method, value, timeout)).exceptionallyCompose(RpcClient::unwrap);
  }

  /**
   * Sends a request and blocks until its response (waiting for the handshake first): for virtual threads, and
   * faster than joining {@link #request}, whose completion must be handed to another thread.
   *
   * @throws RpcException remote error, TIMEOUT_EXCEEDED, CHANNEL_CLOSED...
   */
  public byte[] call(String method, byte[] value, Duration timeout) {
    RpcSession session;
    try {
      session = connection.session().join();
    } catch (CompletionException e) {
      throw asRpcException(e);
    }
    return session.call(method, value, timeout);
  }

  /**
   * Sends a request whose outcome goes to {@code listener} on the connection's own thread; see
   * {@link ResponseListener} for what it may do there. Before the handshake, the request waits for it.
   */
  public void request(String method, byte[] value, Duration timeout, ResponseListener listener) {
    RpcSession ready = ready();
    if (ready != null) {
      ready.request(method, value, timeout, listener);
      return;
    }
    connection.session().whenComplete((session, failure) -> {
      if (failure != null) {
        listener.onError(asRpcException(failure));
      } else {
        session.request(method, value, timeout, listener);
      }
    });
  }

  /** A blocking call without timeout. */
  public byte[] call(String method, byte[] value) {
    return call(method, value, null);
  }

  /** A request without timeout. */
  public CompletableFuture<byte[]> request(String method, byte[] value) {
    return request(method, value, null);
  }

  /**
   * Sends an event (no response); dropped if the connection fails before it opens.
   *
   * @throws RpcException CHANNEL_CLOSED when the connection already failed or closed, ENCODE_ERROR when the event
   *     exceeds {@link RpcSession#MAX_ENCODED}
   */
  public void event(String method, byte[] value) {
    if (connection.session().isCompletedExceptionally()) {
      throw RpcException.channelClosed();
    }
    RpcSession ready = ready();
    if (ready != null) {
      ready.event(method, value);
      return;
    }
    RpcException tooLarge = RpcSession.oversized(0, method, value);
    if (tooLarge != null) {
      throw tooLarge;
    }
    connection.session().thenAccept(s -> s.event(method, value));
  }

  /** Closes the channel once pending requests are answered, then ends the stream. */
  public CompletableFuture<Void> end() {
    return connection.session().thenCompose(RpcSession::end);
  }

  /** Closes now; pending requests fail with CHANNEL_DESTROYED. */
  @Override
  public void close() {
    RpcSession ready = ready();
    if (ready != null) {
      ready.destroy(null);
    } else {
      connection.destroy();
    }
  }

  /** Completes when the RPC channel closed (or failed to open). */
  public CompletableFuture<Void> closed() {
    return connection.session().thenCompose(RpcSession::closed).exceptionally(t -> null);
  }

  public boolean isClosed() {
    CompletableFuture<RpcSession> session = connection.session();
    return session.isCompletedExceptionally() || (session.isDone() && session.join().isClosed());
  }

  /** The key of the peer the calls go to (on a shared connection, null before its handshake). */
  public byte[] serverPublicKey() {
    return serverPublicKey != null ? serverPublicKey.clone() : connection.remotePublicKey();
  }

  /** The connection (stream, remote key) under this client. */
  public RpcConnection connection() {
    return connection;
  }

  private RpcSession ready() {
    CompletableFuture<RpcSession> session = connection.session();
    return session.isDone() && !session.isCompletedExceptionally() ? session.join() : null;
  }

  /** Why the connection never gave a session: its RpcException, else CHANNEL_CLOSED. */
  private static RpcException asRpcException(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return cause instanceof RpcException r ? r : RpcException.channelClosed();
  }

  private static CompletableFuture<byte[]> unwrap(Throwable t) {
    Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    return CompletableFuture.failedFuture(cause);
  }
}
