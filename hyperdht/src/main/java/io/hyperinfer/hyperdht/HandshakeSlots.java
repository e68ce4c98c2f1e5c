package io.hyperinfer.hyperdht;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server's handshake table ({@code server.js _holepunches} and {@code _connects}): one slot per distinct Noise
 * message 1, found again by the message's bytes so a copy arriving through another relay (or a resend) gets the same
 * answer. A slot is <em>pending</em> while it holds live state (a UDX stream waiting for its first packet; how many
 * may is the server's {@code ConnectionLimiter}'s business) and <em>settled</em> after, when only its answer is kept
 * for the clear wait; settled slots are capped in number, the oldest forgotten first. I/O-free, time passed in;
 * confined to the node loop.
 *
 * @param <T> what the server keeps per pending handshake
 */
final class HandshakeSlots<T> {
  /** One handshake. */
  static final class Slot<T> {
    final int id;
    final String key;
    T state;
    byte[] answer;
    long settledAtMs = -1;

    Slot(int id, String key) {
      this.id = id;
      this.key = key;
    }

    boolean pending() {
      return settledAtMs < 0;
    }
  }

  private final long clearWaitMs;
  private final int maxSettled;
  private final Map<String, Slot<T>> byKey = new HashMap<>();
  private final Map<Integer, Slot<T>> byId = new HashMap<>();
  private final LinkedHashMap<String, Slot<T>> settled = new LinkedHashMap<>();
  private final BitSet ids = new BitSet();
  private int pending;

  HandshakeSlots(long clearWaitMs, int maxSettled) {
    this.clearWaitMs = clearWaitMs;
    this.maxSettled = maxSettled;
  }

  /** The slot of message 1 {@code key}, if it is remembered. */
  Slot<T> find(String key, long nowMs) {
    expire(nowMs);
    return byKey.get(key);
  }

  /** The slot with holepunch id {@code id} (JS {@code _holepunches[id]}), or null. */
  Slot<T> byId(long id, long nowMs) {
    expire(nowMs);
    return id < 0 || id > Integer.MAX_VALUE ? null : byId.get((int) id);
  }

  /** A new pending slot for {@code key} (the lowest free id, as JS reuses {@code _holepunches} holes). */
  Slot<T> add(String key, long nowMs) {
    expire(nowMs);
    if (byKey.containsKey(key)) {
      throw new IllegalStateException("message 1 already has a slot");
    }
    int id = ids.nextClearBit(0);
    ids.set(id);
    Slot<T> slot = new Slot<>(id, key);
    byKey.put(key, slot);
    byId.put(id, slot);
    pending++;
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
    settled.put(slot.key, slot);
    while (settled.size() > maxSettled) {
      remove(settled.values().iterator().next());
    }
  }

  /** Forgets settled slots older than the clear wait. */
  void expire(long nowMs) {
    Iterator<Slot<T>> it = settled.values().iterator();
    while (it.hasNext()) {
      Slot<T> s = it.next();
      if (nowMs - s.settledAtMs < clearWaitMs) {
        return;
      }
      it.remove();
      byKey.remove(s.key);
      byId.remove(s.id);
      ids.clear(s.id);
    }
  }

  private void remove(Slot<T> slot) {
    settled.remove(slot.key);
    byKey.remove(slot.key);
    byId.remove(slot.id);
    ids.clear(slot.id);
  }

  /** Every pending slot's state, and forgets all slots (the server closes). */
  List<T> clear() {
    List<T> states = new ArrayList<>();
    for (Slot<T> s : byKey.values()) {
      if (s.pending() && s.state != null) {
        states.add(s.state);
      }
    }
    byKey.clear();
    byId.clear();
    settled.clear();
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
}
