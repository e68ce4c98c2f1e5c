package io.hyperinfer.swarm;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A 32-byte public key as a map key, ordered as JS {@code b4a.compare} orders buffers (unsigned bytes, left to right):
 * the order the deduplication rule uses to pick which side of a pair is expected to connect. Immutable.
 *
 * @param bytes the key; copied in and never handed out
 */
public record PeerKey(byte[] bytes) implements Comparable<PeerKey> {
  public PeerKey {
    if (bytes == null || bytes.length != 32) {
      throw new SwarmException(SwarmException.Code.BAD_KEY, "a peer key has 32 bytes");
    }
    bytes = bytes.clone();
  }

  /** A copy of the key. */
  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public int compareTo(PeerKey other) {
    return Arrays.compareUnsigned(bytes, other.bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PeerKey k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
