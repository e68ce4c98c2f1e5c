package io.hyperinfer.network;

import io.hyperinfer.testkit.Seeds;
import java.util.HexFormat;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/** Seeded random rosters for property and fuzz tests. */
final class RandomRosters {
  private RandomRosters() {}

  static String key(SplittableRandom random) {
    return HexFormat.of().formatHex(Seeds.bytes(random, 32));
  }

  static Roster roster(SplittableRandom random, String network, int maxMembers) {
    TreeMap<String, Set<Role>> members = new TreeMap<>();
    int n = random.nextInt(maxMembers + 1);
    for (int i = 0; i < n; i++) {
      members.put(key(random), Role.fromBits(1 + random.nextInt(Role.ALL_BITS)));
    }
    TreeSet<String> revoked = new TreeSet<>();
    for (int i = random.nextInt(maxMembers / 2 + 1); i > 0; i--) {
      revoked.add(key(random));
    }
    long seq = random.nextInt(4) == 0 ? Roster.MAX_SEQ - random.nextInt(3) : 1 + random.nextLong(1_000_000);
    return new Roster(network, seq, random.nextBoolean() ? key(random) : null, members, revoked);
  }
}
