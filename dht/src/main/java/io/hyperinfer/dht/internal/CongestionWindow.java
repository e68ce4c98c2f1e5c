package io.hyperinfer.dht.internal;

/**
 * Sends per 750 ms slot over the last four slots (dht-rpc {@code io.js CongestionWindow}): full at {@code max} sends
 * in the current slot or {@code 2 * max} over all four. Replies and cancellations give a send back. Confined to the
 * loop thread.
 */
final class CongestionWindow {
  private final int max;
  private final int[] window = new int[4];
  private int current;
  private int total;

  CongestionWindow(int max) {
    this.max = max;
  }

  boolean isFull() {
    return total >= 2 * max || window[current] >= max;
  }

  void send() {
    total++;
    window[current]++;
  }

  void recv() {
    if (window[current] > 0) {
      window[current]--;
      total--;
    }
  }

  /** Moves to the next slot, forgetting the oldest. */
  void drain() {
    current = (current + 1) & 3;
    total -= window[current];
    window[current] = 0;
  }

  int max() {
    return max;
  }
}
