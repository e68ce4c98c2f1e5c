package io.hyperinfer.hyperdht;

import io.hyperinfer.secretstream.SecretStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection per remote key ({@code lib/connection-pool.js}): {@link #connect} returns the stream already open or
 * being opened to that key (one connect in flight per key), including one the remote opened to our server
 * ({@link #serving}); when a second stream for a key appears, JS's rule decides which survives, the same way on both
 * sides, and the loser is destroyed with {@code DUPLICATE_CONNECTION}. Streams this pool opened are kept while
 * {@linkplain #release released} fewer times than connected, then for the linger, then destroyed; every stream leaves the
 * pool when it closes, and {@link Listener}s hear of each open and close by remote key. Thread-safe.
 */
public final class ConnectionPool implements AutoCloseable {
  /** How long an unused outbound connection stays (as @hyperswarm/rpc's pool linger). */
  public static final Duration DEFAULT_LINGER = Duration.ofSeconds(10);

  /** Hears of the pool's connections, on the thread that learnt of them: must not block. */
  public interface Listener {
    /** A stream for {@code remotePublicKey} joined the pool ({@code inbound}: the remote connected to us). */
    default void onOpen(byte[] remotePublicKey, SecretStream stream, boolean inbound) {}

    /** The pool's stream for {@code remotePublicKey} closed, or lost to a duplicate. */
    default void onClose(byte[] remotePublicKey, SecretStream stream) {}
  }

  private static final class Entry {
    final byte[] remoteKey;
    CompletableFuture<SecretStream> future = new CompletableFuture<>();
    SecretStream stream;
    boolean outbound;
    int refs;
    ScheduledFuture<?> linger;

    Entry(byte[] remoteKey) {
      this.remoteKey = remoteKey.clone();
    }
  }

  private final HyperDht dht;
  private final Duration linger;
  private final Map<String, Entry> entries = new HashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private boolean closed;

  ConnectionPool(HyperDht dht) {
    this(dht, DEFAULT_LINGER);
  }

  /** A pool on {@code dht} whose unused outbound connections end after {@code linger}. */
  public ConnectionPool(HyperDht dht, Duration linger) {
    this.dht = dht;
    this.linger = linger;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** The pool's stream to {@code publicKey}, connecting with the defaults if there is none. */
  public CompletableFuture<SecretStream> connect(byte[] publicKey) {
    return connect(publicKey, ConnectOptions.DEFAULT);
  }

  /**
   * The pool's stream to {@code publicKey} (open, being opened, or inbound), else a new connect; counts one use
   * until {@link #release}.
   */
  public CompletableFuture<SecretStream> connect(byte[] publicKey, ConnectOptions options) {
    String key = HexFormat.of().formatHex(publicKey);
    Entry e;
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(HyperDhtException.nodeDestroyed());
      }
      e = entries.get(key);
      if (e != null) {
        use(e);
        return e.future.copy();
      }
      e = new Entry(publicKey);
      e.outbound = true;
      entries.put(key, e);
      use(e);
    }
    Entry entry = e;
    dht.connect(publicKey, options, null).whenComplete((stream, error) -> onConnected(key, entry, stream, error));
    return entry.future.copy();
  }

  /** One use of {@code publicKey}'s connection ended; an outbound one unused for the linger is ended. */
  public synchronized void release(byte[] publicKey) {
    Entry e = entries.get(HexFormat.of().formatHex(publicKey));
    if (e == null || e.refs == 0 || --e.refs > 0 || !e.outbound) {
      return;
    }
    e.linger = ConnectTimer.schedule(() -> expire(e), linger.toMillis());
  }

  /**
   * Wraps a server's handler: each connection it accepts, once started (by {@code handler} or, after it, without a
   * listener), joins this pool as the inbound stream of its remote key.
   */
  public ConnectionHandler serving(ConnectionHandler handler) {
    ConnectionHandler joining = connection -> {
      try {
        handler.onConnection(connection);
      } finally {
        connection.startIfIdle();
        // once open, so reading its keys never waits (the handler may run on the loop that opens it)
        connection.started().thenAccept(s -> s.opened().thenRun(() -> attach(s)));
      }
    };
    return handler.mayBlock() ? joining : ConnectionHandler.onLoop(joining);
  }

  /** Adds an open stream the remote opened to our server (JS {@code _attachStream(stream, true)}). */
  public void attach(SecretStream stream) {
    byte[] remote = stream.remotePublicKey();
    String key = HexFormat.of().formatHex(remote);
    SecretStream loser = null;
    boolean added = false;
    synchronized (this) {
      Entry e = entries.get(key);
      if (closed) {
        loser = stream;
      } else if (e == null) {
        e = new Entry(remote);
        entries.put(key, e);
        adopt(key, e, stream);
        added = true;
      } else if (keepNew(stream, e.stream)) {
        loser = e.stream;
        e.outbound = false;
        adopt(key, e, stream);
        added = true;
      } else {
        loser = stream;
      }
    }
    if (added) {
      listeners.forEach(l -> l.onOpen(remote, stream, true));
    }
    if (loser != null) {
      loser.destroy(HyperDhtException.duplicateConnection()); // after the open: never a moment with no stream
    }
  }

  /** JS's rule: the new stream wins if it has the same role as the existing one, or if our key sorts higher. */
  static boolean keepNew(SecretStream fresh, SecretStream existing) {
    boolean existingInitiator = existing == null || existing.isInitiator(); // none yet: our connect in flight
    boolean sameRole = fresh.isInitiator() == existingInitiator;
    return sameRole ? true : Arrays.compareUnsigned(fresh.publicKey(), fresh.remotePublicKey()) > 0;
  }

  /** Whether the pool has a stream (open or opening) for {@code publicKey}. */
  public synchronized boolean has(byte[] publicKey) {
    return entries.containsKey(HexFormat.of().formatHex(publicKey));
  }

  /** Streams open in the pool. */
  public synchronized int size() {
    return (int) entries.values().stream().filter(e -> e.stream != null).count();
  }

  /** Connects in flight. */
  public synchronized int connecting() {
    return (int) entries.values().stream().filter(e -> e.stream == null).count();
  }

  /** Destroys every stream of the pool; later connects fail. */
  @Override
  public void close() {
    List<SecretStream> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Entry e : entries.values()) {
        if (e.stream != null) {
          all.add(e.stream);
        }
        e.future.completeExceptionally(HyperDhtException.nodeDestroyed());
      }
      entries.clear();
    }
    all.forEach(SecretStream::destroy);
  }

  private void use(Entry e) {
    e.refs++;
    if (e.linger != null) {
      e.linger.cancel(false);
      e.linger = null;
    }
  }

  private void onConnected(String key, Entry e, SecretStream stream, Throwable error) {
    boolean keep;
    synchronized (this) {
      keep = error == null && entries.get(key) == e && e.stream == null && !closed;
      if (keep) {
        adopt(key, e, stream);
      } else if (error != null && entries.get(key) == e && e.stream == null) {
        entries.remove(key);
      }
    }
    if (error != null) {
      e.future.completeExceptionally(error);
    } else if (!keep) {
      stream.destroy(HyperDhtException.duplicateConnection()); // an inbound stream took the key meanwhile
    } else {
      listeners.forEach(l -> l.onOpen(e.remoteKey, stream, false));
    }
  }

  /** Makes {@code stream} the entry's (lock held) and evicts it when it closes. */
  private void adopt(String key, Entry e, SecretStream stream) {
    e.stream = stream;
    if (!e.future.complete(stream)) {
      e.future = CompletableFuture.completedFuture(stream);
    }
    stream.closed().whenComplete((v, t) -> evict(key, e, stream));
  }

  private void evict(String key, Entry e, SecretStream stream) {
    synchronized (this) {
      if (entries.get(key) == e && e.stream == stream) {
        entries.remove(key);
        if (e.linger != null) {
          e.linger.cancel(false);
        }
      }
    }
    listeners.forEach(l -> l.onClose(e.remoteKey, stream));
  }

  private void expire(Entry e) {
    SecretStream stream;
    synchronized (this) {
      if (e.refs > 0 || e.stream == null) {
        return;
      }
      stream = e.stream;
    }
    stream.destroy(); // as @hyperswarm/rpc's pool destroys a lingering client; the close evicts the entry
  }
}
