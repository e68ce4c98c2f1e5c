package io.hyperinfer.hyperdht;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server's handshake table ({@code server.js _holepunches} and {@code _connects}), bounded: one slot per distinct
 * Noise message 1, found again by the message's bytes so a copy arriving through another relay (or a resend) gets the
 * same answer. A slot is <em>pending</em> while it holds live state (a UDX stream waiting for its first packet) and
 * <em>settled</em> after, when only its answer is kept for the clear wait. Pending slots are capped in total and per
 * client host; settled ones in number (the oldest forgotten first). A message 1 beyond the caps gets no slot and is
 * dropped, which is what keeps a flood of distinct message 1s (hyperdht#294) from exhausting memory or sockets.
 * I/O-free, time passed in; confined to the node loop.
 *
 * @param <T> what the server keeps per pending handshake
 */
final class HandshakeSlots<T> {
  /** One handshake. */
  static final class Slot<T> {
    final int id;
    final String key;
    final String host;
    T state;
    byte[] answer;
    long settledAtMs = -1;

    Slot(int id, String key, String host) {
      this.id = id;
      this.key = key;
      this.host = host;
    }

    boolean pending() {
      return settledAtMs < 0;
    }
  }

  private final ServerOptions limits;
  private final Map<String, Slot<T>> byKey = new HashMap<>();
  private final Map<String, Integer> pendingByHost = new HashMap<>();
  private final LinkedHashMap<String, Slot<T>> settled = new LinkedHashMap<>();
  private final BitSet ids = new BitSet();
  private int pending;
  private long refused;

  HandshakeSlots(ServerOptions limits) {
    this.limits = limits;
  }

  /** The slot of message 1 {@code key}, if it is remembered. */
  Slot<T> find(String key, long nowMs) {
    expire(nowMs);
    return byKey.get(key);
  }

  /** A new pending slot for {@code key} from {@code host}, or null (counted) when a cap is reached. */
  Slot<T> admit(String key, String host, long nowMs) {
    expire(nowMs);
    if (byKey.containsKey(key)) {
      throw new IllegalStateException("message 1 already has a slot");
    }
    if (pending >= limits.maxPendingHandshakes()
        || pendingByHost.getOrDefault(host, 0) >= limits.maxPendingPerHost()) {
      refused++;
      return null;
    }
    int id = ids.nextClearBit(0);
    ids.set(id);
    Slot<T> slot = new Slot<>(id, key, host);
    byKey.put(key, slot);
    pending++;
    pendingByHost.merge(host, 1, Integer::sum);
    return slot;
  }

  /** Ends {@code slot}'s pending state: it keeps only its answer, for the clear wait. Again: nothing. */
  void settle(Slot<T> slot, long nowMs) {
    if (!slot.pending() || byKey.get(slot.key) != slot) {
      return;
    }
    slot.settledAtMs = nowMs;
    slot.state = null;
    pending--;
    pendingByHost.computeIfPresent(slot.host, (h, n) -> n == 1 ? null : n - 1);
    settled.put(slot.key, slot);
    while (settled.size() > limits.maxSettledHandshakes()) {
      remove(settled.values().iterator().next());
    }
  }

  /** Forgets settled slots older than the clear wait. */
  void expire(long nowMs) {
    long wait = limits.handshakeClearWait().toMillis();
    Iterator<Slot<T>> it = settled.values().iterator();
    while (it.hasNext()) {
      Slot<T> s = it.next();
      if (nowMs - s.settledAtMs < wait) {
        return;
      }
      it.remove();
      byKey.remove(s.key);
      ids.clear(s.id);
    }
  }

  private void remove(Slot<T> slot) {
    settled.remove(slot.key);
    byKey.remove(slot.key);
    ids.clear(slot.id);
  }

  /** Every pending slot's state, and forgets all slots (the server closes). */
  Iterable<T> clear() {
    java.util.List<T> states = new java.util.ArrayList<>();
    for (Slot<T> s : byKey.values()) {
      if (s.pending() && s.state != null) {
        states.add(s.state);
      }
    }
    byKey.clear();
    settled.clear();
    pendingByHost.clear();
    ids.clear();
    pending = 0;
    return states;
  }

  int pending() {
    return pending;
  }

  int settled() {
    return settled.size();
  }

  int pendingFrom(String host) {
    return pendingByHost.getOrDefault(host, 0);
  }

  /** Message 1s dropped because a cap was reached. */
  long refused() {
    return refused;
  }
}
