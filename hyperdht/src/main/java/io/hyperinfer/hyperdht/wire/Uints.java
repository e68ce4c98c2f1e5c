package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;

/** Range checks for compact-encoding uints (0 .. 2^53-1). */
final class Uints {
  private Uints() {}

  static boolean valid(long n) {
    return n >= 0 && n <= Buf.MAX_SAFE_UINT;
  }

  static long require(long n, String field) {
    if (!valid(n)) {
      throw new IllegalArgumentException(field + " must be a uint: " + n);
    }
    return n;
  }
}
