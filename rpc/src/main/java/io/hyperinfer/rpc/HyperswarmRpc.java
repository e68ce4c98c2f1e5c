package io.hyperinfer.rpc;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.HyperDht;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * @hyperswarm/rpc over HyperDHT connections: servers that answer RPC on every connection a HyperDHT server accepts
 * ({@link #createServer}), and requests and events by public key through pooled clients ({@link #request},
 * {@link #call}, {@link #event}: one connection per key, connected once however many callers ask at the same time,
 * kept for the pool linger after the last call, dropped when it closes). Wire-compatible with the JS module both
 * ways. Handlers see the caller's key proven by the Noise handshake ({@code request.session().remotePublicKey()})
 * and can send events back on the same connection ({@code request.session().event(...)}); clients serve those with
 * {@link #clientResponders()}. Thread-safe.
 */
public final class HyperswarmRpc implements AutoCloseable {
  private final HyperDht dht;
  private final HyperswarmRpcOptions options;
  private final KeyPair keyPair;
  private final Responders clientResponders = new Responders();
  private final RpcClientPool pool;
  private final Set<HyperswarmRpcServer> servers = ConcurrentHashMap.newKeySet();
  private final List<RpcConnectionListener> listeners = new CopyOnWriteArrayList<>();

  /** Over {@code dht} with the defaults. */
  public HyperswarmRpc(HyperDht dht) {
    this(dht, HyperswarmRpcOptions.DEFAULT);
  }

  public HyperswarmRpc(HyperDht dht, HyperswarmRpcOptions options) {
    this.dht = dht;
    this.options = options;
    this.keyPair = options.keyPair() != null ? options.keyPair() : dht.defaultKeyPair();
    this.pool = new RpcClientPool(pk -> connect(pk, options.capability()), options.poolLinger());
  }

  /** The HyperDHT node underneath. */
  public HyperDht dht() {
    return dht;
  }

  /** Our key: servers listen with it by default, and clients connect with it. */
  public KeyPair keyPair() {
    return keyPair;
  }

  /** Handlers for what servers send on our clients' connections (events back to us). */
  public Responders clientResponders() {
    return clientResponders;
  }

  /** Hears of every connection opened or lost, inbound and pooled, by remote key. */
  public void addConnectionListener(RpcConnectionListener listener) {
    listeners.add(listener);
  }

  /** A server (not listening yet) with the defaults. */
  public HyperswarmRpcServer createServer() {
    return createServer(HyperswarmRpcServer.Options.DEFAULT);
  }

  /** A server (not listening yet): {@code respond} its methods, then {@code listen}. */
  public HyperswarmRpcServer createServer(HyperswarmRpcServer.Options serverOptions) {
    HyperswarmRpcServer server = new HyperswarmRpcServer(this, serverOptions);
    servers.add(server);
    return server;
  }

  /** A request through the pooled client for {@code publicKey}, without timeout (as JS). */
  public CompletableFuture<byte[]> request(byte[] publicKey, String method, byte[] value) {
    return request(publicKey, method, value, null);
  }

  /**
   * A request through the pooled client for {@code publicKey}; fails with {@link RpcException} (the remote error,
   * {@code TIMEOUT_EXCEEDED}, or {@code CHANNEL_CLOSED} whose cause is the HyperDHT connect error).
   */
  public CompletableFuture<byte[]> request(byte[] publicKey, String method, byte[] value, Duration timeout) {
    return pool.request(publicKey, method, value, timeout);
  }

  /**
   * A request through the pooled client for {@code publicKey} whose outcome goes to {@code listener} on the
   * connection's loop ({@link ResponseListener}: it must not block): no thread hand-off per reply.
   */
  public void request(byte[] publicKey, String method, byte[] value, Duration timeout, ResponseListener listener) {
    pool.request(publicKey, method, value, timeout, listener);
  }

  /** A blocking request through the pooled client for {@code publicKey} (the fastest way from a virtual thread). */
  public byte[] call(byte[] publicKey, String method, byte[] value, Duration timeout) {
    return pool.call(publicKey, method, value, timeout);
  }

  /** An event through the pooled client for {@code publicKey}. */
  public void event(byte[] publicKey, String method, byte[] value) {
    pool.event(publicKey, method, value);
  }

  /** Pooled clients now. */
  public int pooledClients() {
    return pool.size();
  }

  /**
   * A client of its own to {@code publicKey} (@hyperswarm/rpc {@code rpc.connect}), proving {@code capability} if
   * not null; the caller closes it. Returns at once: calls wait for the connection, and fail with
   * {@code CHANNEL_CLOSED} (the connect error as cause) if it cannot be made.
   */
  public RpcClient connect(byte[] publicKey, byte[] capability) {
    RpcClient client = RpcClient.pending(publicKey, capability, options.namespace(), clientResponders);
    RpcConnection connection = client.connection();
    watch(connection, false);
    dht.connect(publicKey, options.connect().withKeyPair(keyPair), connection.listener())
        .whenComplete((stream, error) -> {
          if (error != null) {
            connection.fail(error);
          }
        });
    return client;
  }

  /** Tells the listeners when {@code connection}'s channel opens and closes. */
  void watch(RpcConnection connection, boolean inbound) {
    connection.session().thenAccept(session -> {
      byte[] remote = connection.remotePublicKey();
      listeners.forEach(l -> {
        l.onConnected(connection, inbound);
        l.onOpen(remote, session, inbound);
      });
      session.closed().thenRun(() -> listeners.forEach(l -> l.onClose(remote, session, inbound)));
    });
  }

  Capability namespace() {
    return options.namespace();
  }

  void forget(HyperswarmRpcServer server) {
    servers.remove(server);
  }

  /** Closes every server (unannouncing) and every pooled client; the DHT stays open. */
  @Override
  public void close() {
    List<CompletableFuture<Void>> closing = servers.stream().map(HyperswarmRpcServer::closeAsync).toList();
    pool.close();
    CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
  }
}
