package io.hyperinfer.rpc;

import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamBuilder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

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

  /**
   * Serves an already started stream whose messages go to {@link SecretStream#read()}: over UDX it is handed over
   * to run on the loop as a started one does ({@link SecretStream#handOver}), over TCP a virtual thread reads it.
   */
  public RpcConnection accept(SecretStream stream) {
    RpcConnection connection = newConnection();
    connection.attach(stream);
    return connection;
  }

  /**
   * Serves and calls over a started stream that someone else opened (a swarm's connection, dialed by either side),
   * whose messages go to {@link SecretStream#read()} (taken over as {@link #accept} does): one protomux-rpc channel
   * whose id is the key of the side that did not dial (ours when the peer dialed, the peer's when we did), as an
   * {@code @hyperswarm/rpc} client dialing a server uses, so a JS client that dialed us and a JS server we dialed both
   * find it. This server's handlers answer the peer's requests on it, and the returned client sends ours on the same
   * channel: one connection both ways. With a capability key each side proves it for its role on the stream, as on
   * dialed connections; a peer that does not is refused with INVALID_CAPABILITY.
   */
  public RpcClient share(SecretStream stream) {
    RpcConnection connection = newConnection((conn, handshake) -> conn.stream().isInitiator()
        ? handshake.remotePublicKey() : handshake.publicKey());
    connection.attach(stream);
    return new RpcClient(connection);
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
    return newConnection((conn, handshake) -> handshake.publicKey());
  }

  /** A connection served by this server on the channel {@code channelId} names. */
  private RpcConnection newConnection(BiFunction<RpcConnection, HandshakeResult, byte[]> channelId) {
    RpcConnection connection = new RpcConnection((conn, handshake) -> {
      if (closed) {
        throw RpcException.channelClosed();
      }
      CapabilityCheck check = capabilityKey == null ? null
          : new CapabilityCheck(capability, capabilityKey, conn.stream().isInitiator(), handshake.handshakeHash());
      return new RpcSession(conn.mux(), channelId.apply(conn, handshake), handshake.remotePublicKey(), responders,
          check,
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
