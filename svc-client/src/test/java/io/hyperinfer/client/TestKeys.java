package io.hyperinfer.client;

import io.hyperinfer.worker.net.PeerRef;
import java.util.Arrays;

/** Peers for unit tests that never connect: a public key of 32 equal bytes. */
final class TestKeys {
  private TestKeys() {}

  static PeerRef peer(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return new PeerRef(key);
  }
}
