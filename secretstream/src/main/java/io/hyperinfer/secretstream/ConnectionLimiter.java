package io.hyperinfer.secretstream;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Admission of inbound connections keyed by their source, for any listener (TCP today, the HyperDHT server later):
 * caps on connections in total and per source, and on handshakes in progress in total and per source. A source over
 * its own caps is refused. When the table of handshakes in progress is full, the oldest handshake of the source that
 * holds the most of them is evicted to make room for a source that holds fewer, so a flood from many sources cannot
 * shut out a newcomer the way a plain cap on handshakes does (hyperdht#294: its fix drops every new handshake once
 * 256 are in flight). Established connections are never evicted.
 *
 * <p>A listener calls {@link #admit} for each accepted connection, {@link Admission#handshakeDone()} when the peer
 * has proven its key, and {@link Admission#close()} when the connection ends. Bounded: one entry per source that
 * holds a connection, so at most {@code maxConnections} entries. Thread-safe: one lock, held briefly; eviction
 * callbacks run outside it.
 *
 * @param <K> the source key, e.g. {@link #addressKey(InetAddress)}
 */
public final class ConnectionLimiter<K> {
  /**
   * The caps.
   *
   * @param maxConnections connections at once, handshaking or established
   * @param maxPerSource connections at once from one source
   * @param maxHandshakes handshakes in progress at once
   * @param maxHandshakesPerSource handshakes in progress at once from one source
   */
  public record Limits(int maxConnections, int maxPerSource, int maxHandshakes, int maxHandshakesPerSource) {
    /** 1,024 connections, 64 per source, 128 handshakes in progress, 8 per source. */
    public static final Limits DEFAULT = new Limits(1024, 64, 128, 8);

    public Limits {
      if (maxConnections < 1 || maxPerSource < 1 || maxHandshakes < 1 || maxHandshakesPerSource < 1
          || maxPerSource > maxConnections || maxHandshakes > maxConnections
          || maxHandshakesPerSource > Math.min(maxPerSource, maxHandshakes)) {
        throw new IllegalArgumentException("connection limits must be positive and nested: " + this);
      }
    }
  }

  /** Counters for tests, logs and metrics. */
  public record Stats(int connections, int handshakes, int sources, long admitted, long refused, long evicted) {}

  private final Limits limits;
  private final Map<K, Source> sources = new HashMap<>();
  private int connections;
  private int handshakes;
  private long admitted;
  private long refused;
  private long evicted;
  private long sequence;

  public ConnectionLimiter(Limits limits) {
    this.limits = limits;
  }

  public Limits limits() {
    return limits;
  }

  /**
   * Admits a connection from {@code source}, or refuses it (empty) when a cap would be exceeded and nothing can be
   * evicted. {@code evict} is run, at most once and outside the lock, if this connection is later evicted while still
   * handshaking; it must close the connection, whose {@link Admission#close()} then follows as usual.
   */
  public Optional<Admission> admit(K source, Runnable evict) {
    Admission victim;
    Admission admission;
    synchronized (this) {
      Source own = sources.get(source);
      int ownConnections = own == null ? 0 : own.connections;
      int ownHandshakes = own == null ? 0 : own.handshaking.size();
      if (ownConnections >= limits.maxPerSource() || ownHandshakes >= limits.maxHandshakesPerSource()) {
        refused++;
        return Optional.empty();
      }
      victim = null;
      if (handshakes >= limits.maxHandshakes() || connections >= limits.maxConnections()) {
        victim = evictionCandidate(ownHandshakes);
        if (victim == null) {
          refused++;
          return Optional.empty();
        }
        victim.releaseLocked();
        evicted++;
      }
      if (own == null) {
        own = new Source(source);
        sources.put(source, own);
      }
      admission = new Admission(own, evict, sequence++);
      own.connections++;
      own.handshaking.addLast(admission);
      connections++;
      handshakes++;
      admitted++;
    }
    if (victim != null) {
      victim.evict.run();
    }
    return Optional.of(admission);
  }

  public synchronized Stats stats() {
    return new Stats(connections, handshakes, sources.size(), admitted, refused, evicted);
  }

  /** The oldest handshake of the source holding the most, if that source holds more than {@code newcomerHolds}. */
  private Admission evictionCandidate(int newcomerHolds) {
    Source worst = null;
    for (Source s : sources.values()) {
      if (s.handshaking.isEmpty()) {
        continue;
      }
      if (worst == null || s.handshaking.size() > worst.handshaking.size()
          || s.handshaking.size() == worst.handshaking.size()
          && s.handshaking.peekFirst().sequence < worst.handshaking.peekFirst().sequence) {
        worst = s;
      }
    }
    return worst == null || worst.handshaking.size() <= newcomerHolds ? null : worst.handshaking.peekFirst();
  }

  /**
   * The key of an IP source: the address itself for IPv4, its /64 prefix for IPv6, since one IPv6 host commonly
   * holds a whole /64 and could otherwise present a fresh source per connection.
   */
  public static String addressKey(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      StringBuilder key = new StringBuilder("v6:");
      for (int i = 0; i < 8; i++) {
        key.append(String.format("%02x", bytes[i]));
      }
      return key.append("::/64").toString();
    }
    return address.getHostAddress();
  }

  private final class Source {
    final K key;
    final ArrayDeque<Admission> handshaking = new ArrayDeque<>();
    int connections;

    Source(K key) {
      this.key = key;
    }
  }

  /** One admitted connection's hold on the limiter. Thread-safe; every method is idempotent. */
  public final class Admission implements AutoCloseable {
    private final Source source;
    private final Runnable evict;
    private final long sequence;
    private boolean handshaking = true; // guarded by the limiter
    private boolean released; // guarded by the limiter

    private Admission(Source source, Runnable evict, long sequence) {
      this.source = source;
      this.evict = evict;
      this.sequence = sequence;
    }

    /** The peer finished its handshake: the connection no longer counts as handshaking and cannot be evicted. */
    public void handshakeDone() {
      synchronized (ConnectionLimiter.this) {
        if (!released && handshaking) {
          handshaking = false;
          source.handshaking.remove(this);
          handshakes--;
        }
      }
    }

    /** The connection ended: frees its slots. */
    @Override
    public void close() {
      synchronized (ConnectionLimiter.this) {
        releaseLocked();
      }
    }

    private void releaseLocked() {
      if (released) {
        return;
      }
      released = true;
      if (handshaking) {
        handshaking = false;
        source.handshaking.remove(this);
        handshakes--;
      }
      connections--;
      if (--source.connections == 0) {
        sources.remove(source.key);
      }
    }
  }
}
