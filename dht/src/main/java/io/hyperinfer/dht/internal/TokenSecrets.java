package io.hyperinfer.dht.internal;

import io.hyperinfer.crypto.Blake2b;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.random.RandomGenerator;

/**
 * Write tokens (dht-rpc {@code io.js token/_drain}): BLAKE2b-256 of the requester's IP string keyed with a secret.
 * Two secrets, rotated every 10 drains (7.5 s): the previous becomes the current one's hash, so a token stays valid
 * 7.5 to 15 s. The port is not covered. Secrets are drawn on first use, as JS does. Confined to the loop thread.
 */
final class TokenSecrets {
  static final int ROTATE_EVERY_DRAINS = 10;

  private final RandomGenerator random;
  private byte[] previous;
  private byte[] current;
  private int untilRotation = ROTATE_EVERY_DRAINS;

  TokenSecrets(RandomGenerator random) {
    this.random = random;
  }

  /** A fresh token for {@code host}. */
  byte[] token(String host) {
    return token(host, current());
  }

  /** Whether {@code token} was handed to {@code host} by either live secret. */
  boolean valid(String host, byte[] token) {
    return MessageDigest.isEqual(token, token(host, current()))
        || MessageDigest.isEqual(token, token(host, previous));
  }

  /** One drain tick; rotates every tenth once secrets exist. */
  void drain() {
    if (current != null && --untilRotation == 0) {
      untilRotation = ROTATE_EVERY_DRAINS;
      byte[] old = previous;
      previous = current;
      current = Blake2b.hash(old);
    }
  }

  private byte[] current() {
    if (current == null) {
      previous = new byte[32];
      current = new byte[32];
      random.nextBytes(previous);
      random.nextBytes(current);
    }
    return current;
  }

  private static byte[] token(String host, byte[] secret) {
    return Blake2b.hash(host.getBytes(StandardCharsets.US_ASCII), secret, 32);
  }
}
