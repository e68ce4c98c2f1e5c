package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One side's holepunch ({@code lib/holepuncher.js}): a pool socket whose NAT it classifies by sampling table nodes
 * ({@link NatClassifier}), the peer's view as the rounds report it, and the punch itself: between two consistent NATs both
 * sides probe each other's addresses once a second; against a randomising peer a consistent side sprays probes at random
 * ports of the peer's verified host; behind a randomising NAT a side opens up to {@code birthdaySockets} sockets, each
 * with a low-TTL probe, then keeps them alive round-robin (the birthday paradox makes one pair of mappings meet). The
 * initiator (the client) is connected on the first probe any of its sockets receives; the responder echoes every probe.
 *
 * <p>Time and I/O come from its {@link PunchHost}: timers run on the node loop (virtual time in tests). Thread-safe:
 * guarded by this object's lock, which is never held while waiting, nor while opening a socket or reading the node's
 * table (both may wait for the node loop, which takes this lock to deliver probes and samples).
 */
final class Holepuncher {
  /** JS {@code BIRTHDAY_SOCKETS}. */
  static final int BIRTHDAY_SOCKETS = 256;
  /** Re-rolls of an unstable socket (JS {@code MAX_REOPENS}). */
  static final int MAX_REOPENS = 3;
  static final int CONSISTENT_TRIES = 10;
  static final long CONSISTENT_PAUSE_MS = 1_000;
  static final int SPRAY_TRIES = 1_750;
  static final long SPRAY_PAUSE_MS = 20;
  static final long BIRTHDAY_SETTLE_MS = 100;

  /** An address of the peer, and whether a token proved it reaches the peer. */
  record RemoteAddress(HostPort address, boolean verified) {}

  private final PunchHost host;
  private final boolean initiator;
  private final int birthdayCap;
  private final List<PunchSocket> sockets = new ArrayList<>();
  private PunchSocket current;
  private NatClassifier nat;
  private CompletableFuture<Void> analyzing;
  private long remoteFirewall;
  private List<RemoteAddress> remoteAddresses = List.of();
  private boolean remoteHolepunching;
  private boolean punching;
  private boolean connected;
  private boolean destroyed;
  private boolean randomized;
  private Boolean punchStarted;
  private HostPort birthdayTarget;
  private CompletableFuture<Boolean> reopening;
  private BiConsumer<PunchSocket, HostPort> onConnect = (s, a) -> {};
  private Runnable onAbort = () -> {};

  /**
   * A puncher on a fresh pool socket that starts sampling at once.
   *
   * @param initiator whether this side connects on the first probe it receives (the client)
   * @param remoteFirewall the peer's firewall class as its handshake said
   * @param birthdayCap the most sockets a punch from behind a randomising NAT opens (JS 256)
   */
  Holepuncher(PunchHost host, boolean initiator, long remoteFirewall, int birthdayCap) {
    if (birthdayCap < 1) {
      throw new IllegalArgumentException("at least one socket");
    }
    this.host = host;
    this.initiator = initiator;
    this.remoteFirewall = remoteFirewall;
    this.birthdayCap = birthdayCap;
    PunchSocket first = host.acquire(this::onProbe);
    List<HostPort> nodes = host.tableNodes();
    synchronized (this) {
      current = first;
      sockets.add(current);
      startSampling(nodes);
    }
  }

  /** Receives the connection: the winning socket (now the caller's to release) and the peer's address. */
  synchronized void onConnect(BiConsumer<PunchSocket, HostPort> listener) {
    this.onConnect = listener;
  }

  /** Runs when the puncher gives up or is destroyed before a connection. */
  synchronized void onAbort(Runnable listener) {
    this.onAbort = listener;
  }

  /** The socket the rounds are sent from. */
  synchronized PunchSocket socket() {
    return current;
  }

  synchronized long firewall() {
    return nat.firewall();
  }

  synchronized List<HostPort> addresses() {
    return nat.addresses();
  }

  /** A sample from a round's answer: this socket as {@code responder} saw it. */
  synchronized void addSample(HostPort seen, HostPort responder) {
    nat.add(seen, responder);
    if (nat.settled()) {
      analyzing.complete(null);
    }
  }

  synchronized void freeze() {
    nat.freeze();
  }

  synchronized long remoteFirewall() {
    return remoteFirewall;
  }

  synchronized List<RemoteAddress> remoteAddresses() {
    return remoteAddresses;
  }

  synchronized boolean remoteHolepunching() {
    return remoteHolepunching;
  }

  synchronized boolean punching() {
    return punching;
  }

  synchronized boolean connected() {
    return connected;
  }

  /** Whether {@link #punch} ran and started punching. */
  synchronized boolean punchStarted() {
    return Boolean.TRUE.equals(punchStarted);
  }

  synchronized boolean destroyed() {
    return destroyed;
  }

  /** The peer's state from its last round; {@code verifiedHost} is the host its echoed token proved, or null. */
  synchronized void updateRemote(boolean punching, long firewall, List<HostPort> addresses, String verifiedHost) {
    List<RemoteAddress> next = new ArrayList<>();
    if (addresses != null) {
      for (HostPort a : addresses) {
        next.add(new RemoteAddress(a, a.host().equals(verifiedHost) || isVerified(a.host())));
      }
    }
    this.remoteFirewall = firewall;
    this.remoteAddresses = List.copyOf(next);
    this.remoteHolepunching = punching;
  }

  private boolean isVerified(String host) {
    return remoteAddresses.stream().anyMatch(a -> a.verified() && a.address().host().equals(host));
  }

  /** A probe from the current socket. */
  void ping(HostPort to) {
    socket().probe(to, false);
  }

  /** A low-TTL probe from the current socket: opens our NAT's mapping towards {@code to}. */
  void openSession(HostPort to) {
    socket().probe(to, true);
  }

  /**
   * Completes once the sampler has its verdict: true when this side is stable (known, and not both sides random).
   * With {@code allowReopen}, an unstable socket is swapped for a fresh one up to {@link #MAX_REOPENS} times, and the
   * result is whether that made the NAT consistent.
   */
  CompletableFuture<Boolean> analyze(boolean allowReopen) {
    CompletableFuture<Void> waiting;
    synchronized (this) {
      waiting = analyzing;
    }
    return waiting.thenCompose(v -> {
      CompletableFuture<Boolean> mine = null;
      CompletableFuture<Boolean> shared;
      synchronized (this) {
        if (!unstable()) {
          return CompletableFuture.completedFuture(true);
        }
        if (!allowReopen) {
          return CompletableFuture.completedFuture(false);
        }
        if (reopening == null) {
          reopening = mine = new CompletableFuture<>();
        }
        shared = reopening;
      }
      if (mine != null) {
        // Outside the lock: opening a socket waits for the loop thread, which takes this lock for every ping answer.
        CompletableFuture<Boolean> started = mine;
        reopen(0).whenComplete((stable, e) -> {
          if (e != null) {
            started.completeExceptionally(e);
          } else {
            started.complete(stable);
          }
        });
      }
      return shared;
    });
  }

  private CompletableFuture<Boolean> reopen(int done) {
    synchronized (this) {
      if (!reopenable(done)) {
        return CompletableFuture.completedFuture(coerce(nat.firewall()) == Firewall.CONSISTENT);
      }
    }
    PunchSocket fresh = host.acquire(this::onProbe);
    List<HostPort> nodes = host.tableNodes();
    synchronized (this) {
      if (!reopenable(done)) {
        fresh.release();
        return CompletableFuture.completedFuture(coerce(nat.firewall()) == Firewall.CONSISTENT);
      }
      reset(fresh, nodes);
      return analyzing.thenCompose(v -> reopen(done + 1));
    }
  }

  private boolean reopenable(int done) {
    return unstable() && done < MAX_REOPENS && !destroyed && !connected && !punching;
  }

  private boolean unstable() {
    long own = nat.firewall();
    return (remoteFirewall >= Firewall.RANDOM && own >= Firewall.RANDOM) || own == Firewall.UNKNOWN;
  }

  /** A fresh socket and sampler in place of the current ones. */
  private void reset(PunchSocket fresh, List<HostPort> nodes) {
    PunchSocket previous = current;
    sockets.remove(previous);
    current = fresh;
    sockets.add(current);
    previous.release();
    analyzing.complete(null);
    startSampling(nodes);
  }

  // ---- sampling (nat.js autoSample) ----

  private void startSampling(List<HostPort> nodes) {
    nat = new NatClassifier(host.firewalled());
    analyzing = new CompletableFuture<>();
    samplePass(nodes, nat, analyzing, current, new HashSet<>(), true);
  }

  /** Pings up to 4 table nodes (skipping the 5 newest of a larger table) from {@code socket}; one retry pass. */
  private void samplePass(List<HostPort> nodes, NatClassifier sampler, CompletableFuture<Void> done,
      PunchSocket socket, Set<HostPort> visited, boolean retry) {
    int skip = nodes.size() >= 8 ? 5 : 0;
    int[] pending = {1};
    Runnable onSkip = () -> {
      synchronized (this) {
        if (--pending[0] == 0 && sampler.sampled() < NatClassifier.MIN_SAMPLES) {
          if (retry && !destroyed && sampler == nat) {
            // on the loop, where reading the table does not wait
            host.schedule(0, () -> {
              List<HostPort> again = host.tableNodes();
              synchronized (this) {
                samplePass(again, sampler, done, socket, visited, false);
              }
            });
          } else {
            done.complete(null);
          }
        }
      }
    };
    for (HostPort node : nodes) {
      if (sampler.sampled() + pending[0] - 1 >= NatClassifier.MIN_SAMPLES) {
        break;
      }
      if (skip > 0) {
        skip--;
        continue;
      }
      if (!visited.add(node)) {
        continue;
      }
      pending[0]++;
      host.ping(node, socket).whenComplete((toFrom, error) -> {
        if (error == null) {
          synchronized (this) {
            sampler.add(toFrom[0], toFrom[1]);
            if (sampler.settled()) {
              done.complete(null);
            }
          }
        }
        onSkip.run();
      });
    }
    onSkip.run();
  }

  // ---- probes ----

  private void onProbe(PunchSocket socket, HostPort from) {
    if (!initiator) {
      socket.probe(from, false); // the responder echoes, so the initiator's probe comes back
      return;
    }
    BiConsumer<PunchSocket, HostPort> listener;
    synchronized (this) {
      if (connected || destroyed) {
        return;
      }
      connected = true;
      punching = false;
      for (PunchSocket s : sockets) {
        if (s != socket) {
          s.release();
        }
      }
      sockets.clear(); // the winner is the listener's now
      endRandomized();
      listener = onConnect;
    }
    host.stats().punched.incrementAndGet();
    listener.accept(socket, from);
  }

  /**
   * Hands {@code transportSocket} over to the caller (the responder's stream connected through it): the puncher no
   * longer releases it. Returns its pool socket, or null when it is not one of the puncher's.
   */
  synchronized PunchSocket detach(Object transportSocket) {
    for (PunchSocket s : sockets) {
      if (s.wraps(transportSocket)) {
        sockets.remove(s);
        return s;
      }
    }
    return null;
  }

  /**
   * Starts punching with the strategy the two NATs allow (JS {@code punch}); the probes run in the background on
   * timers. Called again, it returns the first answer. False when no strategy applies (no remote address, or no
   * verified one where a random punch needs it).
   */
  boolean punch() {
    HostPort birthday;
    boolean started;
    synchronized (this) {
      if (punchStarted != null) {
        return punchStarted;
      }
      punchStarted = startPunch();
      started = punchStarted;
      birthday = birthdayTarget;
      birthdayTarget = null;
    }
    if (birthday != null) {
      openBirthdaySockets(birthday);
      later(BIRTHDAY_SETTLE_MS, () -> keepAlive(birthday, 0, 1, SPRAY_TRIES));
    }
    return started;
  }

  private boolean startPunch() {
    if (destroyed || connected || remoteAddresses.isEmpty()) {
      return false;
    }
    punching = true;
    long local = coerce(nat.firewall());
    long remote = coerce(remoteFirewall);
    HostPort verified = remoteAddresses.stream().filter(RemoteAddress::verified).map(RemoteAddress::address)
        .findFirst().orElse(null);
    if (local == Firewall.CONSISTENT && remote == Firewall.CONSISTENT) {
      host.stats().consistent.incrementAndGet();
      if (initiator) {
        consistentRound(1);
      } else {
        later(CONSISTENT_PAUSE_MS, () -> consistentRound(1)); // the fast-open probe just went out
      }
      return true;
    }
    if (verified == null) {
      return false;
    }
    if (local == Firewall.CONSISTENT && remote >= Firewall.RANDOM) {
      host.stats().random.incrementAndGet();
      beginRandomized();
      spray(verified, SPRAY_TRIES);
      return true;
    }
    if (local >= Firewall.RANDOM && remote == Firewall.CONSISTENT) {
      host.stats().random.incrementAndGet();
      beginRandomized();
      birthdayTarget = verified; // opened by punch(), outside the lock
      return true;
    }
    return false;
  }

  /** Round {@code tryNo} of 10: every verified address, the others every fourth round; then a pause. */
  private void consistentRound(int tryNo) {
    synchronized (this) {
      if (punching && tryNo <= CONSISTENT_TRIES) {
        for (RemoteAddress a : remoteAddresses) {
          if (a.verified() || (tryNo & 3) == 0) {
            current.probe(a.address(), false);
          }
        }
        later(CONSISTENT_PAUSE_MS, () -> consistentRound(tryNo + 1));
        return;
      }
    }
    autoDestroy();
  }

  /** Probes at random ports of the peer's verified host, 20 ms apart. */
  private void spray(HostPort verified, int left) {
    synchronized (this) {
      if (punching && left > 0) {
        current.probe(new HostPort(verified.host(), randomPort()), false);
        later(SPRAY_PAUSE_MS, () -> spray(verified, left - 1));
        return;
      }
    }
    autoDestroy();
  }

  private int randomPort() {
    return 1000 + host.random().nextInt(64_536);
  }

  /** Up to the cap, each socket's first datagram a low-TTL probe to the peer. */
  private void openBirthdaySockets(HostPort verified) {
    while (true) {
      synchronized (this) {
        if (!punching || sockets.size() >= birthdayCap) {
          return;
        }
      }
      PunchSocket s = host.acquire(this::onProbe);
      synchronized (this) {
        if (!punching) {
          s.release();
          return;
        }
        sockets.add(s);
      }
      s.probe(verified, true);
    }
  }

  /** Keepalives to the peer from each socket in turn, 20 ms apart; the first full round with a low TTL. */
  private void keepAlive(HostPort verified, int next, int lowTtlRounds, int left) {
    int index = next;
    int rounds = lowTtlRounds;
    synchronized (this) {
      if (punching && left > 0 && !sockets.isEmpty()) {
        if (index >= sockets.size()) {
          index = 0;
          rounds = Math.max(0, rounds - 1);
        }
        sockets.get(index).probe(verified, rounds > 0);
      } else {
        index = -1;
      }
    }
    if (index < 0) {
      autoDestroy();
      return;
    }
    int i = index + 1;
    int r = rounds;
    later(SPRAY_PAUSE_MS, () -> keepAlive(verified, i, r, left - 1));
  }

  private void later(long delayMs, Runnable task) {
    host.schedule(delayMs, task);
  }

  /** Sockets this puncher holds now (the current one plus birthday sockets). */
  synchronized int sockets() {
    return sockets.size();
  }

  /** Ends a punch that ran out; called without the lock, as {@link #destroy()} runs the abort listener. */
  private void autoDestroy() {
    boolean done;
    synchronized (this) {
      done = connected;
    }
    if (!done) {
      destroy();
    }
  }

  private void beginRandomized() {
    if (!randomized) {
      randomized = true;
      host.randomPunches().begin();
    }
  }

  private void endRandomized() {
    if (randomized) {
      randomized = false;
      host.randomPunches().end(host.nowMs(), true);
    }
  }

  /** Stops punching and releases every socket it still holds; before a connection, the abort listener runs. */
  void destroy() {
    Runnable aborted = null;
    synchronized (this) {
      if (destroyed) {
        return;
      }
      destroyed = true;
      punching = false;
      for (PunchSocket s : sockets) {
        s.release();
      }
      sockets.clear();
      analyzing.complete(null);
      if (!connected) {
        endRandomized();
        aborted = onAbort;
      }
    }
    if (aborted != null) {
      aborted.run();
    }
  }

  /** OPEN counts as CONSISTENT for choosing a strategy (JS {@code coerceFirewall}). */
  static long coerce(long firewall) {
    return firewall == Firewall.OPEN ? Firewall.CONSISTENT : firewall;
  }
}
