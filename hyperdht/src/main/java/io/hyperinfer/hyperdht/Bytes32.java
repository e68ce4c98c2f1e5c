package io.hyperinfer.hyperdht;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * 32 bytes compared by value: a target, a public key or a refresh token used as a table key (JS keys its tables by
 * the hex string). Immutable: the bytes are copied in and out. Thread-safe.
 */
public final class Bytes32 {
  /** The fixed length. */
  public static final int LENGTH = 32;

  private final byte[] bytes;
  private final int hash;

  private Bytes32(byte[] bytes) {
    this.bytes = bytes;
    this.hash = Arrays.hashCode(bytes);
  }

  /** A copy of {@code bytes}, which must be 32 long. */
  public static Bytes32 of(byte[] bytes) {
    if (bytes == null || bytes.length != LENGTH) {
      throw new IllegalArgumentException("expected 32 bytes, got " + (bytes == null ? "null" : bytes.length));
    }
    return new Bytes32(bytes.clone());
  }

  /** Parses 64 hex digits. */
  public static Bytes32 fromHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** A copy of the bytes. */
  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** Whether {@code other} holds the same 32 bytes. */
  public boolean equalsBytes(byte[] other) {
    return Arrays.equals(bytes, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes32 b && hash == b.hash && Arrays.equals(bytes, b.bytes);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Lowercase hex, as JS prints keys. */
  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
