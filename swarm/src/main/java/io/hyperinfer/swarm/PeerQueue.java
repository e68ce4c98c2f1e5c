package io.hyperinfer.swarm;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The peers waiting to be dialed (JS {@code shuffled-priority-queue} 2.1.0 as hyperswarm uses it): the highest
 * priority first, a random one among equals. Confined to the swarm loop.
 */
final class PeerQueue {
  private final List<List<PeerInfo>> levels = new ArrayList<>();
  private final RandomGenerator random;
  private int size;

  PeerQueue(RandomGenerator random) {
    this.random = random;
    for (int i = 0; i <= PeerInfo.VERY_HIGH; i++) {
      levels.add(new ArrayList<>());
    }
  }

  void add(PeerInfo peer) {
    levels.get(peer.priority).add(peer);
    size++;
  }

  /** Removes and returns a peer of the highest priority present; null when empty. */
  PeerInfo shift() {
    for (int p = levels.size() - 1; p >= 0; p--) {
      List<PeerInfo> level = levels.get(p);
      if (!level.isEmpty()) {
        int i = random.nextInt(level.size());
        PeerInfo picked = level.get(i);
        level.set(i, level.getLast());
        level.removeLast();
        size--;
        return picked;
      }
    }
    return null;
  }

  int size() {
    return size;
  }
}
