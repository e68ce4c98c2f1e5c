package io.hyperinfer.auth;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.Random;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An API key as the user holds it: {@code hi_<id>_<secret>}, where id is 16 hex characters (the store key, so lookup
 * is one get) and secret is 32 random bytes in unpadded base64url. Only BLAKE2b-256 of the whole key is stored.
 * {@link #toString()} is masked. Immutable.
 *
 * @param id the key's public id
 * @param secret the secret part; never logged
 */
public record ApiKeyToken(String id, String secret) {
  public static final String PREFIX = "hi_";
  /** Longest string {@link #parse} looks at. */
  public static final int MAX_LENGTH = 128;

  private static final Pattern ID = Pattern.compile("[0-9a-f]{16}");
  private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");

  /** A fresh key with a random id and secret. */
  static ApiKeyToken generate() {
    return new ApiKeyToken(HexFormat.of().formatHex(Random.bytes(8)),
        Base64.getUrlEncoder().withoutPadding().encodeToString(Random.bytes(32)));
  }

  /** Splits a presented key, or {@link AuthException.Code#INVALID_KEY} when it is not of our format. */
  public static ApiKeyToken parse(String key) {
    if (key == null || key.length() > MAX_LENGTH || !key.startsWith(PREFIX)) {
      throw invalid();
    }
    int idEnd = key.indexOf('_', PREFIX.length());
    if (idEnd < 0) {
      throw invalid();
    }
    String id = key.substring(PREFIX.length(), idEnd);
    String secret = key.substring(idEnd + 1);
    if (!ID.matcher(id).matches() || !SECRET.matcher(secret).matches()) {
      throw invalid();
    }
    return new ApiKeyToken(id, secret);
  }

  /** The full key, shown to its owner once. */
  public String value() {
    return PREFIX + id + "_" + secret;
  }

  /** BLAKE2b-256 of the full key, in hex: the only form that is stored. */
  String hashHex() {
    return HexFormat.of().formatHex(Blake2b.hash(value().getBytes(StandardCharsets.US_ASCII)));
  }

  /** Constant-time comparison with a stored hash. */
  boolean matches(String storedHashHex) {
    return MessageDigest.isEqual(hashHex().getBytes(StandardCharsets.US_ASCII),
        storedHashHex.getBytes(StandardCharsets.US_ASCII));
  }

  /** A form safe to print: the id and the last four secret characters. */
  public String masked() {
    return PREFIX + id + "_****" + secret.substring(secret.length() - 4);
  }

  @Override
  public String toString() {
    return masked();
  }

  private static AuthException invalid() {
    return new AuthException(AuthException.Code.INVALID_KEY, "API key is not valid");
  }
}
