package io.hyperinfer.udx.internal;

/**
 * Out-of-order DATA/END packets held until the gap before them fills. Bounded: a packet further than
 * {@link #CAPACITY} seqs ahead of the cumulative ack is dropped (the sender retransmits it), so a hostile peer cannot
 * make us buffer more than CAPACITY packets. Not thread-safe.
 */
final class ReceiveWindow {
  static final int CAPACITY = 4096;
  private static final int MASK = CAPACITY - 1;

  private byte[][] payloads;
  private int[] types;
  private boolean[] present;
  private int count;
  private int highest;

  int count() {
    return count;
  }

  /** Whether {@code seq} (strictly after {@code ack}) fits the window. */
  boolean accepts(int seq, int ack) {
    int ahead = seq - ack;
    return ahead > 0 && ahead < CAPACITY;
  }

  boolean holds(int seq) {
    return present != null && present[seq & MASK] && count > 0;
  }

  void put(int seq, int type, byte[] payload) {
    if (present == null) {
      payloads = new byte[CAPACITY][];
      types = new int[CAPACITY];
      present = new boolean[CAPACITY];
    }
    int i = seq & MASK;
    if (present[i]) {
      return;
    }
    present[i] = true;
    payloads[i] = payload;
    types[i] = type;
    if (count == 0 || Seq.compare(seq, highest) > 0) {
      highest = seq;
    }
    count++;
  }

  int typeAt(int seq) {
    return types[seq & MASK];
  }

  /** Removes and returns the payload held for {@code seq}; the caller checked {@link #holds}. */
  byte[] take(int seq) {
    int i = seq & MASK;
    byte[] p = payloads[i];
    payloads[i] = null;
    present[i] = false;
    count--;
    return p;
  }

  /**
   * Writes SACK blocks (start, end exclusive) for held packets after {@code ack} into {@code pairs}, at most
   * {@code maxBlocks}; returns how many.
   */
  int sackBlocks(int ack, int[] pairs, int maxBlocks) {
    if (count == 0) {
      return 0;
    }
    int blocks = 0;
    int seen = 0;
    boolean open = false;
    for (int seq = ack + 1; Seq.compare(seq, highest) <= 0 && seen < count; seq++) {
      if (present[seq & MASK]) {
        seen++;
        if (!open) {
          if (blocks == maxBlocks) {
            break;
          }
          pairs[2 * blocks] = seq;
          open = true;
        }
        pairs[2 * blocks + 1] = seq + 1;
      } else if (open) {
        open = false;
        blocks++;
      }
    }
    return open ? blocks + 1 : blocks;
  }
}
