package io.hyperinfer.dht.internal;

/**
 * Online / degraded / offline from the response and timeout counters over the last four ticks (dht-rpc
 * {@code lib/health.js}). A tick with fewer than four events is idle and changes nothing. Confined to the loop.
 */
final class NetworkHealth {
  static final int WINDOW = 4;
  static final int OFFLINE_THRESHOLD = 2;
  static final int IDLE_THRESHOLD = 4;
  static final double DEGRADED_RATE = 0.5;

  enum State { ONLINE, DEGRADED, OFFLINE }

  private static final class Slot {
    final long responses;
    final long timeouts;
    Boolean degraded;

    Slot(long responses, long timeouts) {
      this.responses = responses;
      this.timeouts = timeouts;
    }
  }

  private final Slot[] window = new Slot[WINDOW];
  private int filled;
  private int head = -1;
  private int offlineTicks;
  private int degradedTicks;
  private int healthyTicks;
  private boolean online = true;
  private boolean degraded;

  void reset() {
    java.util.Arrays.fill(window, null);
    filled = 0;
    head = -1;
    offlineTicks = degradedTicks = healthyTicks = 0;
    online = true;
    degraded = false;
  }

  boolean online() {
    return online;
  }

  boolean degraded() {
    return degraded;
  }

  /** One tick with the node's running totals; returns the state to report, or null when nothing may change. */
  State update(long responsesTotal, long timeoutsTotal) {
    int tail = (head + 1) % WINDOW;
    Slot oldest = window[tail];
    if (oldest != null && oldest.degraded != null) {
      if (oldest.degraded) {
        degradedTicks--;
      } else {
        healthyTicks--;
      }
    }
    head = tail;
    window[head] = new Slot(responsesTotal, timeoutsTotal);
    filled = Math.min(WINDOW, filled + 1);
    Slot previous = window[(head - 1 + WINDOW) % WINDOW];
    long responses = previous == null ? 0 : responsesTotal - previous.responses;
    long timeouts = previous == null ? 0 : timeoutsTotal - previous.timeouts;
    if (filled < WINDOW || responses + timeouts < IDLE_THRESHOLD) {
      return null;
    }
    boolean offlineNow = responses == 0;
    boolean degradedNow = !offlineNow && (double) timeouts / (responses + timeouts) > DEGRADED_RATE;
    // JS marks an offline tick degraded=false, so it later counts out of the healthy ticks
    window[head].degraded = degradedNow;
    if (offlineNow) {
      offlineTicks++;
    } else {
      offlineTicks = 0;
      if (degradedNow) {
        degradedTicks++;
      } else {
        healthyTicks++;
      }
    }
    if (!offlineNow) {
      online = true;
    } else if (offlineTicks >= OFFLINE_THRESHOLD) {
      online = false;
    }
    if (!online || healthyTicks == WINDOW) {
      degraded = false;
    } else if (degradedTicks == WINDOW) {
      degraded = true;
    }
    return online && !degraded ? State.ONLINE : degraded ? State.DEGRADED : State.OFFLINE;
  }
}
