package io.hyperinfer.worker.net;

import io.hyperinfer.network.Role;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who a worker trusts for what, judged on the key the transport proved, never on a topic a peer announces. Outside a
 * network ({@link #OPEN}) nothing is enforced and workers keep their config allowlists; inside one, the network's
 * signed roster is the only authority ({@code io.hyperinfer.worker.trust.NetworkTrust}). Thread-safe; answers may
 * change as the roster does, so callers ask per request.
 */
public interface PeerPolicy {
  /** No network: every peer passes every check here, and workers fall back to their own config. */
  PeerPolicy OPEN = new PeerPolicy() {
    @Override
    public boolean enforced() {
      return false;
    }

    @Override
    public boolean admits(PeerRef peer, Role role) {
      return true;
    }
  };

  /** Whether a roster decides (true inside a network). */
  boolean enforced();

  /** Whether {@code peer} holds {@code role} now. */
  boolean admits(PeerRef peer, Role role);

  /**
   * The network's session public key (hex) from the roster: what Auth signs sessions with and gateways verify them
   * with offline. Empty outside a network or before a roster carrying one arrived.
   */
  default Optional<String> sessionKey() {
    return Optional.empty();
  }

  /** The peers holding {@code role}, as a predicate for {@link NetFacility#allowOnly} and {@link NetFacility#trustAnnouncers}. */
  default Predicate<PeerRef> holding(Role role) {
    return peer -> admits(peer, role);
  }
}
