package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.CryptoException;
import io.hyperinfer.crypto.Random;
import io.hyperinfer.crypto.SecretBox;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Seals and opens the holepunch payloads of one connection, and makes the address tokens that prove a punch reached
 * the peer ({@code lib/secure-payload.js}). On the wire a sealed payload is a 24-byte random nonce followed by
 * {@code crypto_secretbox_easy(holepunchPayload)} under the connection's holepunch secret. Tokens are
 * {@code BLAKE2b-256(host; key = a random secret of this object)}, so only this side can make or check them.
 * Thread-safe: immutable after construction.
 */
public final class SecurePayload {
  private static final int NONCE = SecretBox.NONCE_BYTES;

  private final byte[] sharedSecret;
  private final byte[] localSecret;
  private final Consumer<byte[]> random;

  /** Payloads under {@code holepunchSecret} (from {@link NoiseWrap.Established}), with fresh randomness. */
  public SecurePayload(byte[] holepunchSecret) {
    this(holepunchSecret, Random::fill);
  }

  /**
   * Payloads under {@code holepunchSecret}, with nonces and the token secret drawn from {@code random} (a seam for
   * reproducing recorded vectors; production uses libsodium).
   */
  public SecurePayload(byte[] holepunchSecret, Consumer<byte[]> random) {
    if (holepunchSecret == null || holepunchSecret.length != SecretBox.KEY_BYTES) {
      throw new IllegalArgumentException("the holepunch secret is 32 bytes");
    }
    this.sharedSecret = holepunchSecret.clone();
    this.random = random;
    this.localSecret = new byte[32];
    random.accept(localSecret);
  }

  /** {@code payload} sealed: nonce, then MAC and ciphertext. */
  public byte[] encrypt(HolepunchPayload payload) {
    byte[] nonce = new byte[NONCE];
    random.accept(nonce);
    byte[] box = SecretBox.easy(Compact.encode(HolepunchPayload.CODEC, payload), nonce, sharedSecret);
    byte[] out = Arrays.copyOf(nonce, NONCE + box.length);
    System.arraycopy(box, 0, out, NONCE, box.length);
    return out;
  }

  /**
   * The payload inside {@code sealed}, or empty when it is too short, does not authenticate or does not decode, as
   * JS returns null (the caller then ignores the round).
   */
  public Optional<HolepunchPayload> decrypt(byte[] sealed) {
    if (sealed.length <= NONCE + SecretBox.MAC_BYTES) {
      return Optional.empty();
    }
    try {
      byte[] nonce = Arrays.copyOf(sealed, NONCE);
      byte[] plain = SecretBox.openEasy(Arrays.copyOfRange(sealed, NONCE, sealed.length), nonce, sharedSecret);
      return Optional.of(HolepunchPayload.CODEC.decode(Buf.wrap(plain)));
    } catch (CryptoException | EncodingException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** This side's token for {@code host} (an IPv4 literal as JS prints it). */
  public byte[] token(String host) {
    return Blake2b.hash(host.getBytes(StandardCharsets.UTF_8), localSecret, Blake2b.BYTES);
  }
}
