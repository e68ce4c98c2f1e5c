package io.hyperinfer.network;

import io.hyperinfer.crypto.Blake2b;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * DHT topics from topic names. {@link #keyed} is the JS worker framework's optional topic key (hp-svc-facs-net
 * {@code lib/hyperdht.lookup.js encodeTopic} with {@code crypto: {algo: 'hmac-sha256', key}}): BLAKE2b-256 of
 * HMAC-SHA256(key, UTF-8 name). With the network's public key as the key, two networks on one DHT announce and look
 * up disjoint topics, and a JS worker configured with the same key finds ours. {@link #unkeyed} is the framework's
 * default (BLAKE2b-256 of the UTF-8 name), kept for tests against plain JS peers. Stateless and thread-safe.
 */
public final class Topics {
  private Topics() {}

  /** The topic of {@code name} in the network named by {@code networkKey} (32 bytes). */
  public static byte[] keyed(byte[] networkKey, String name) {
    Keys.hex(networkKey, "network key");
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(networkKey, "HmacSHA256"));
      return Blake2b.hash(mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The topic of {@code name} outside any network: BLAKE2b-256 of its UTF-8 bytes (JS {@code HyperDHT.hash}). */
  public static byte[] unkeyed(String name) {
    return Blake2b.topic(name);
  }
}
