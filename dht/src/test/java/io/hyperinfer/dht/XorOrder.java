package io.hyperinfer.dht;

import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** The true k closest ids to a target, by XOR distance: the oracle queries are checked against. */
public final class XorOrder {
  private XorOrder() {}

  public static Comparator<byte[]> towards(byte[] target) {
    return (a, b) -> {
      for (int i = 0; i < 32; i++) {
        int x = (a[i] ^ target[i]) & 0xff;
        int y = (b[i] ^ target[i]) & 0xff;
        if (x != y) {
          return Integer.compare(x, y);
        }
      }
      return 0;
    };
  }

  public static List<String> closest(List<byte[]> ids, byte[] target, int k) {
    return ids.stream().sorted(towards(target)).limit(k).map(HexFormat.of()::formatHex).toList();
  }

  static List<String> hex(List<Peer> peers) {
    return peers.stream().map(p -> HexFormat.of().formatHex(p.id())).toList();
  }

  static byte[] target(java.util.SplittableRandom random) {
    byte[] t = new byte[32];
    random.nextBytes(t);
    return t;
  }

}
