package io.hyperinfer.rpc;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectionFirewall;
import io.hyperinfer.hyperdht.ConnectionHandler;
import io.hyperinfer.hyperdht.HyperDhtConnection;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.hyperdht.ServerOptions;
import io.hyperinfer.secretstream.SecretStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * An @hyperswarm/rpc server over a HyperDHT server (@hyperswarm/rpc {@code Server}): every connection the HyperDHT
 * server accepts gets a protomux-rpc session with this server's handlers (methods added later serve existing
 * connections too), the channel id being our public key. Create it with {@link HyperswarmRpc#createServer}.
 * Thread-safe.
 */
public final class HyperswarmRpcServer implements AutoCloseable {
  /**
   * A server's options (@hyperswarm/rpc {@code createServer(opts)}).
   *
   * @param capability a key every client must prove, or null (default)
   * @param dht the HyperDHT server's options: its firewall (by the client's proven key) and handshake bounds
   */
  public record Options(byte[] capability, ServerOptions dht) {
    /** No capability, HyperDHT's server defaults. */
    public static final Options DEFAULT = new Options(null, ServerOptions.DEFAULT);

    /** Copies the key. */
    public Options {
      if (dht == null) {
        throw new IllegalArgumentException("HyperDHT server options are required");
      }
      capability = capability == null ? null : capability.clone();
    }

    public Options withCapability(byte[] key) {
      return new Options(key, dht);
    }

    /** Only clients {@code firewall} accepts (by proven key) get an answer to their handshake. */
    public Options withFirewall(ConnectionFirewall firewall) {
      return new Options(capability, dht.withFirewall(firewall));
    }

    public Options withDht(ServerOptions d) {
      return new Options(capability, d);
    }
  }

  private final HyperswarmRpc rpc;
  private final RpcServer server;
  private final HyperDhtServer dhtServer;

  HyperswarmRpcServer(HyperswarmRpc rpc, Options options) {
    this.rpc = rpc;
    this.server = new RpcServer(options.capability(), rpc.namespace());
    this.dhtServer = rpc.dht().createServer(options.dht(), ConnectionHandler.onLoop(this::serve));
  }

  /** Starts each connection's stream with an RPC session as its listener; does not block (runs on the UDX loop). */
  private void serve(HyperDhtConnection connection) {
    RpcConnection rpcConnection = server.newConnection();
    rpc.watch(rpcConnection, true);
    connection.start(rpcConnection.listener());
  }

  /**
   * Serves this server's handlers, and calls the peer, over a HyperDHT connection opened elsewhere (a swarm's, by
   * either side; started, messages going to {@code read()}): see {@link RpcServer#share}. The connection listeners
   * hear of it ({@code inbound} when the peer dialed); the caller keeps the returned client for its calls.
   */
  public RpcClient share(SecretStream stream) {
    RpcClient client = server.share(stream);
    rpc.watch(client.connection(), !stream.isInitiator());
    return client;
  }

  /** Serves {@code method} with a blocking handler (a virtual thread per call). */
  public HyperswarmRpcServer respond(String method, RpcHandler handler) {
    server.respond(method, handler);
    return this;
  }

  /** Serves {@code method} with a handler that must not block (it runs on the connection's UDX loop). */
  public HyperswarmRpcServer respondAsync(String method, AsyncRpcHandler handler) {
    server.respondAsync(method, handler);
    return this;
  }

  /**
   * Serves every method without a handler of its own with a handler that must not block (it runs on the UDX loop);
   * null restores UNKNOWN_METHOD for them.
   */
  public HyperswarmRpcServer respondAny(AsyncRpcHandler handler) {
    server.respondAny(handler);
    return this;
  }

  public HyperswarmRpcServer unrespond(String method) {
    server.unrespond(method);
    return this;
  }

  /** Listens with the RPC's key pair; completes once announced. */
  public CompletableFuture<Void> listen() {
    return listen(rpc.keyPair());
  }

  /** Listens with {@code keyPair}; completes once announced. */
  public CompletableFuture<Void> listen(KeyPair keyPair) {
    return dhtServer.listen(keyPair);
  }

  /** The key listened with, or null. */
  public byte[] publicKey() {
    return dhtServer.publicKey();
  }

  /** Up to three relays clients can reach this server through (for topic records). */
  public List<HostPort> relayAddresses() {
    return dhtServer.relayAddresses();
  }

  /** The connections whose RPC channel is open. */
  public Set<RpcConnection> connections() {
    return server.connections();
  }

  /** The HyperDHT server underneath (its stats, relays). */
  public HyperDhtServer dhtServer() {
    return dhtServer;
  }

  /** Stops listening (unannouncing) and closes every connection. */
  public CompletableFuture<Void> closeAsync() {
    return dhtServer.closeAsync().whenComplete((v, e) -> {
      server.close();
      rpc.forget(this);
    });
  }

  @Override
  public void close() {
    closeAsync().join();
  }
}
