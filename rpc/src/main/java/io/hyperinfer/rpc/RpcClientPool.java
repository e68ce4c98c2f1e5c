package io.hyperinfer.rpc;

import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clients by server public key, as @hyperswarm/rpc's {@code rpc.request(publicKey, ...)}: one connection per key,
 * kept while in use and for {@code linger} after the last call, dropped when it closes. Thread-safe.
 */
public final class RpcClientPool implements AutoCloseable {
  /** @hyperswarm/rpc's poolLinger default. */
  public static final Duration DEFAULT_LINGER = Duration.ofSeconds(10);

  /** Opens a client to a public key: TCP today, HyperDHT later. May block. */
  @FunctionalInterface
  public interface Connector {
    RpcClient connect(byte[] publicKey);
  }

  private final class Ref {
    final RpcClient client;
    int active;
    ScheduledFuture<?> linger;

    Ref(RpcClient client) {
      this.client = client;
    }
  }

  private final Connector connector;
  private final Duration linger;
  private final Map<String, Ref> refs = new ConcurrentHashMap<>();

  public RpcClientPool(Connector connector, Duration linger) {
    this.connector = connector;
    this.linger = linger;
  }

  public RpcClientPool(Connector connector) {
    this(connector, DEFAULT_LINGER);
  }

  /** A request through the pooled client for {@code publicKey}. */
  public CompletableFuture<byte[]> request(byte[] publicKey, String method, byte[] value, Duration timeout) {
    Ref ref;
    try {
      ref = acquire(publicKey);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
    return ref.client.request(method, value, timeout).whenComplete((v, t) -> release(ref));
  }

  /**
   * A request through the pooled client for {@code publicKey} whose outcome goes to {@code listener} on the thread
   * that learnt it, usually the connection's (see {@link ResponseListener} for what it may do there): no thread
   * hand-off, for callers that never block. A client that cannot be had is reported to the listener at once, on this
   * thread, as {@code CHANNEL_CLOSED} with the cause.
   */
  public void request(byte[] publicKey, String method, byte[] value, Duration timeout, ResponseListener listener) {
    Ref ref;
    try {
      ref = acquire(publicKey);
    } catch (RpcException e) {
      listener.onError(e);
      return;
    } catch (RuntimeException e) {
      listener.onError(RpcException.channelClosed(e));
      return;
    }
    ref.client.request(method, value, timeout, new ResponseListener() {
      @Override
      public void onResponse(byte[] response) {
        release(ref);
        listener.onResponse(response);
      }

      @Override
      public void onError(RpcException error) {
        release(ref);
        listener.onError(error);
      }
    });
  }

  /**
   * A blocking request through the pooled client for {@code publicKey} (for virtual threads; see
   * {@link RpcClient#call}).
   *
   * @throws RpcException the remote error, TIMEOUT_EXCEEDED, CHANNEL_CLOSED (with the connect failure as cause)...
   */
  public byte[] call(byte[] publicKey, String method, byte[] value, Duration timeout) {
    Ref ref = acquire(publicKey);
    try {
      return ref.client.call(method, value, timeout);
    } finally {
      release(ref);
    }
  }

  /** An event through the pooled client for {@code publicKey}. */
  public void event(byte[] publicKey, String method, byte[] value) {
    Ref ref = acquire(publicKey);
    try {
      ref.client.event(method, value);
    } finally {
      release(ref);
    }
  }

  /** Connections currently pooled. */
  public int size() {
    return refs.size();
  }

  /** Closes every pooled client. */
  @Override
  public void close() {
    for (String key : refs.keySet()) {
      Ref ref = refs.remove(key);
      if (ref != null) {
        ref.client.close();
      }
    }
  }

  private Ref acquire(byte[] publicKey) {
    String key = HexFormat.of().formatHex(publicKey);
    while (true) {
      Ref ref = refs.computeIfAbsent(key, k -> newRef(publicKey, k));
      // asked outside the ref's lock: it takes the connection's lock, under which a listener's release takes the ref's
      boolean open = !ref.client.isClosed();
      synchronized (ref) {
        if (open && refs.get(key) == ref) {
          if (ref.linger != null) {
            ref.linger.cancel(false);
            ref.linger = null;
          }
          ref.active++;
          return ref;
        }
      }
      refs.remove(key, ref);
    }
  }

  private Ref newRef(byte[] publicKey, String key) {
    Ref ref = new Ref(connector.connect(publicKey));
    ref.client.closed().whenComplete((v, t) -> refs.remove(key, ref));
    return ref;
  }

  private void release(Ref ref) {
    synchronized (ref) {
      if (--ref.active == 0) {
        ref.linger = RpcExecutors.timer().schedule(() -> expire(ref), linger.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void expire(Ref ref) {
    synchronized (ref) {
      if (ref.active > 0) {
        return;
      }
    }
    refs.values().remove(ref);
    ref.client.close();
  }
}
