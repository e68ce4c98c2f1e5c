package io.hyperinfer.worker.trust;

import io.hyperinfer.network.NetworkException;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.RosterBook;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.network.RosterRefresher;
import io.hyperinfer.network.RosterSource;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.Facility;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerPolicy;
import io.hyperinfer.worker.net.PeerRef;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Membership of a network, as a facility: config section {@code network} ({@code key}: the network's public key, hex;
 * {@code roster}: the roster cache file; {@code refresh}: 30 s; {@code firstFetchWait}: 5 s). It starts from the cached
 * roster, trusts nobody before one is accepted, and is the {@link PeerPolicy} every trust decision asks. With no
 * cached roster (a first start) its start waits for the first fetch to answer, at most {@code firstFetchWait}
 * ({@code 0s}: not at all), so the worker's first lookups are not judged against an empty roster while the network's
 * is on its way. Newer rosters come from where the worker's own net facility finds them ({@link NetFacility#rosters}:
 * on the real net through the facility's DHT node, so no second node is opened), else the cache file is re-read on the
 * same schedule. It starts right after the net facility (which keys its topics by the same {@code network.key}) and
 * stops before it; handlers are registered only after every facility is up, so no call is judged before the cached
 * roster is loaded. Thread-safe.
 */
public final class NetworkTrust implements Facility, PeerPolicy {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkTrust.class);
  /** The longest a start with no cached roster waits for its first fetch ({@code network.firstFetchWait}). */
  public static final Duration FIRST_FETCH_WAIT = Duration.ofSeconds(5);

  private final Function<NetworkKey, Optional<RosterSource>> rosters;
  private volatile RosterBook book;
  private volatile RosterRefresher refresher;
  private volatile ScheduledExecutorService timer;

  /** Membership refreshed from the roster cache file only. */
  public NetworkTrust() {
    this(network -> Optional.empty());
  }

  /** Membership refreshed from {@code rosters} (a net facility's {@link NetFacility#rosters}) when it has a source. */
  public NetworkTrust(Function<NetworkKey, Optional<RosterSource>> rosters) {
    this.rosters = rosters;
  }

  /** Whether {@code config} puts the worker in a network. */
  public static boolean configured(Config config) {
    return config.has("network.key");
  }

  @Override
  public String name() {
    return "network";
  }

  @Override
  public int priority() {
    return PRIORITY_NET + 5;
  }

  @Override
  public void start(FacilityContext context) {
    Config c = context.config();
    NetworkKey network;
    try {
      network = NetworkKey.parse(c.string("network.key"));
    } catch (NetworkException e) {
      throw ConfigException.invalid("network.key", e.getMessage());
    }
    Path file = Path.of(c.string("network.roster"));
    Duration every = c.duration("network.refresh", RosterRefresher.DEFAULT_INTERVAL);
    Duration firstFetchWait = c.duration("network.firstFetchWait", FIRST_FETCH_WAIT);
    RosterBook b = new RosterBook(network);
    RosterCache cache = new RosterCache(file);
    try {
      cache.attach(b).ifPresentOrElse(v -> LOG.info("network {}: roster seq {} loaded from {}", network.hex(),
          b.seq(), file), () -> LOG.warn("network {}: no roster at {} yet; nobody is trusted until one arrives",
          network.hex(), file));
    } catch (NetworkException e) {
      throw ConfigException.invalid("network.roster", e.getMessage());
    }
    b.onChange(r -> LOG.info("network {}: roster seq {} accepted ({} members, {} revoked)", network.hex(),
        r.roster().seq(), r.roster().members().size(), r.roster().revoked().size()));
    book = b;
    timer = Executors.newSingleThreadScheduledExecutor(Thread.ofVirtual().name("roster-refresh").factory());
    refresher = new RosterRefresher(b, source(network, cache), every, RosterRefresher.Timer.of(timer),
        context.clock());
    CompletableFuture<?> first = refresher.refreshNow();
    if (b.current().isEmpty() && firstFetchWait.isPositive()) {
      awaitFirst(first, network, firstFetchWait);
    }
  }

  /**
   * Waits for the first fetch of a worker that has no roster yet: what it finds decides whom the worker's first calls
   * and lookups trust. A fetch that fails or takes longer only delays trust: the refresher keeps trying.
   */
  private static void awaitFirst(CompletableFuture<?> first, NetworkKey network, Duration wait) {
    try {
      first.get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      LOG.warn("network {}: no roster fetched within {} ms; nobody is trusted until one arrives", network.hex(),
          wait.toMillis());
    } catch (ExecutionException e) {
      LOG.warn("network {}: the first roster fetch failed ({}); nobody is trusted until one arrives", network.hex(),
          e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private RosterSource source(NetworkKey network, RosterCache cache) {
    return rosters.apply(network).orElseGet(() -> minSeq -> {
      try {
        return CompletableFuture.completedFuture(cache.load(network).filter(r -> r.roster().seq() >= minSeq));
      } catch (NetworkException e) {
        return CompletableFuture.failedFuture(e);
      }
    });
  }

  @Override
  public boolean enforced() {
    return true;
  }

  @Override
  public boolean admits(PeerRef peer, Role role) {
    RosterBook b = book;
    return b != null && b.hasRole(peer.publicKey(), role);
  }

  @Override
  public Optional<String> sessionKey() {
    RosterBook b = book;
    return b == null ? Optional.empty() : b.sessionKey();
  }

  /** The roster book (for the session key, counters and tests); empty before start. */
  public Optional<RosterBook> book() {
    return Optional.ofNullable(book);
  }

  /** The refresher; empty before start. */
  public Optional<RosterRefresher> refresher() {
    return Optional.ofNullable(refresher);
  }

  @Override
  public void stop() {
    RosterRefresher r = refresher;
    if (r != null) {
      r.close();
    }
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
    }
  }
}
