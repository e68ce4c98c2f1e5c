package io.hyperinfer.protomux.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/** Book-keeping per protocol and id: opens in flight either way. Confined to the mux lock. */
public final class ChannelInfo {
  public final String key;
  public int opened;
  /** Remote ids whose open arrived and no local channel claimed yet. */
  public final Deque<Long> incoming = new ArrayDeque<>();
  /** Local ids whose open went out and no remote open answered yet. */
  public final Deque<Long> outgoing = new ArrayDeque<>();

  public ChannelInfo(String key) {
    this.key = key;
  }

  public boolean unused() {
    return opened == 0 && incoming.isEmpty() && outgoing.isEmpty();
  }
}
