package io.hyperinfer.network;

import java.util.HexFormat;
import java.util.Locale;

/** Public keys as the roster names them: 64 lowercase hex characters, whose order is the keys' byte order. */
final class Keys {
  static final int BYTES = 32;
  private static final HexFormat HEX = HexFormat.of();

  private Keys() {}

  /** {@code hex} lowercased, or BAD_ARGUMENT naming {@code what} when it is not 64 hex characters. */
  static String normalise(String hex, String what) {
    String lower = hex == null ? "" : hex.strip().toLowerCase(Locale.ROOT);
    if (lower.length() != BYTES * 2 || !lower.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw NetworkException.badArgument(what + " must be 64 hex characters (a 32-byte public key)");
    }
    return lower;
  }

  static String hex(byte[] key, String what) {
    if (key == null || key.length != BYTES) {
      throw NetworkException.badArgument(what + " must be 32 bytes");
    }
    return HEX.formatHex(key);
  }

  static byte[] bytes(String hex) {
    return HEX.parseHex(hex);
  }
}
