package io.hyperinfer.worker.net;

import java.util.Arrays;
import java.util.HexFormat;

/** A peer named by its 32-byte public key. Immutable. */
public record PeerRef(byte[] publicKey) {
  public PeerRef {
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("a peer public key has 32 bytes");
    }
    publicKey = publicKey.clone();
  }

  public static PeerRef ofHex(String hex) {
    return new PeerRef(HexFormat.of().parseHex(hex));
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(publicKey);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerRef p && Arrays.equals(publicKey, p.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "PeerRef[" + hex().substring(0, 12) + "]";
  }
}
