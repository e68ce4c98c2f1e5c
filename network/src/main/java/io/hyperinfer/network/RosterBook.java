package io.hyperinfer.network;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The roster a worker trusts now. It starts empty (nobody is a member) or from a cached roster, and takes a roster
 * only when the network key signed it and its seq is higher than the current one's; anything else is ignored and
 * counted, so a forged, replayed or older roster can never shrink or widen trust. Thread-safe: offers are
 * serialised, reads see one roster whole; listeners run on the offering thread, after the swap.
 */
public final class RosterBook {
  /** What an offer did. */
  public enum Verdict {
    /** Newer and signed by the network: it is now the current roster. */
    ACCEPTED,
    /** The current roster again (as every refresh finds it until the operator edits). */
    SAME,
    /** Signed, but not newer: a replay of an older edition, or a different roster under the current seq. */
    STALE,
    /** Not signed by the network key, or not for this network. */
    FORGED
  }

  private final NetworkKey network;
  private final Map<Verdict, Long> counts = new EnumMap<>(Verdict.class);
  private final List<Consumer<SignedRoster>> listeners = new CopyOnWriteArrayList<>();
  private volatile SignedRoster current;

  public RosterBook(NetworkKey network) {
    this.network = network;
    for (Verdict v : Verdict.values()) {
      counts.put(v, 0L);
    }
  }

  public NetworkKey network() {
    return network;
  }

  /** Judges {@code candidate} and makes it current when it is a newer roster of this network. */
  public synchronized Verdict offer(SignedRoster candidate) {
    Verdict verdict = judge(candidate);
    counts.merge(verdict, 1L, Long::sum);
    if (verdict == Verdict.ACCEPTED) {
      current = candidate;
      for (Consumer<SignedRoster> l : listeners) {
        l.accept(candidate);
      }
    }
    return verdict;
  }

  private Verdict judge(SignedRoster candidate) {
    if (!candidate.verify(network.hex())) {
      return Verdict.FORGED;
    }
    SignedRoster now = current;
    if (now == null || candidate.roster().seq() > now.roster().seq()) {
      return Verdict.ACCEPTED;
    }
    return now.equals(candidate) ? Verdict.SAME : Verdict.STALE;
  }

  /** The current signed roster, empty until one was accepted. */
  public Optional<SignedRoster> current() {
    return Optional.ofNullable(current);
  }

  /** The current roster's seq, 0 before any. */
  public long seq() {
    SignedRoster now = current;
    return now == null ? 0 : now.roster().seq();
  }

  /** Whether {@code key} (32 bytes) holds {@code role} in the current roster; false before any roster. */
  public boolean hasRole(byte[] key, Role role) {
    SignedRoster now = current;
    return now != null && now.roster().hasRole(key, role);
  }

  /** The network's session public key (hex) in the current roster. */
  public Optional<String> sessionKey() {
    SignedRoster now = current;
    return now == null ? Optional.empty() : now.roster().session();
  }

  /** How many offers ended with {@code verdict}. */
  public synchronized long count(Verdict verdict) {
    return counts.get(verdict);
  }

  /** Called with each roster accepted from now on. */
  public void onChange(Consumer<SignedRoster> listener) {
    listeners.add(listener);
  }
}
