package io.hyperinfer.rpc;

import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamBuilder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The server side of @hyperswarm/rpc over any secret stream (TCP now, HyperDHT later): one protomux-rpc session per
 * stream, channel id = our static public key, the same handlers for every connection. Thread-safe.
 */
public final class RpcServer implements AutoCloseable {
  private final Responders responders = new Responders();
  private final Capability capability;
  private final byte[] capabilityKey;
  private final Set<RpcConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A server without a capability handshake (the @hyperswarm/rpc default). */
  public RpcServer() {
    this(null, new Capability());
  }

  /**
   * @param capabilityKey when not null, peers must prove they know it (@hyperswarm/rpc {@code capability} option)
   * @param capability the namespace to derive capabilities with (@hyperswarm/rpc {@code namespace} option)
   */
  public RpcServer(byte[] capabilityKey, Capability capability) {
    this.capabilityKey = capabilityKey == null ? null : capabilityKey.clone();
    this.capability = capability;
  }

  /** Serves {@code method} with a blocking handler (own virtual thread per call). */
  public RpcServer respond(String method, RpcHandler handler) {
    responders.respond(method, handler);
    return this;
  }

  /** Serves {@code method} with a non-blocking handler. */
  public RpcServer respondAsync(String method, AsyncRpcHandler handler) {
    responders.respondAsync(method, handler);
    return this;
  }

  /** Serves every method without a handler of its own (see {@link Responders#respondAny}). */
  public RpcServer respondAny(AsyncRpcHandler handler) {
    responders.respondAny(handler);
    return this;
  }

  public RpcServer unrespond(String method) {
    responders.unrespond(method);
    return this;
  }

  /** Starts a not yet started stream with this server as its listener (the fastest path). */
  public RpcConnection start(SecretStreamBuilder builder) {
    RpcConnection connection = newConnection();
    builder.listener(connection.listener()).start();
    return connection;
  }

  /** Serves an already started stream whose messages go to {@link SecretStream#read()}. */
  public RpcConnection accept(SecretStream stream) {
    RpcConnection connection = newConnection();
    connection.attach(stream);
    return connection;
  }

  /** The connections whose RPC channel is not closed yet. */
  public Set<RpcConnection> connections() {
    return Set.copyOf(connections);
  }

  /** Destroys every connection; streams offered later are destroyed at once. */
  @Override
  public void close() {
    closed = true;
    for (RpcConnection connection : connections) {
      connection.destroy();
    }
  }

  /** A connection served by this server, for a stream started with its {@code listener()}. */
  RpcConnection newConnection() {
    RpcConnection connection = new RpcConnection((conn, handshake) -> {
      if (closed) {
        throw RpcException.channelClosed();
      }
      CapabilityCheck check = capabilityKey == null ? null
          : new CapabilityCheck(capability, capabilityKey, conn.stream().isInitiator(), handshake.handshakeHash());
      return new RpcSession(conn.mux(), handshake.publicKey(), handshake.remotePublicKey(), responders, check,
          session -> {
            connections.remove(conn);
            conn.onSessionClosed();
          });
    });
    connections.add(connection);
    connection.session().whenComplete((s, e) -> {
      if (e != null) {
        connections.remove(connection);
      }
    });
    return connection;
  }
}
