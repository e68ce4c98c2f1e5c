package io.hyperinfer.network;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A network is an Ed25519 key pair: its public key names the network, keys its topics and verifies its rosters; its
 * secret key, held by the operator alone, signs them. Workers hold the public half only ({@link #ofPublic}).
 * Immutable; never prints the secret.
 */
public final class NetworkKey {
  private final byte[] publicKey;
  private final KeyPair keyPair;

  private NetworkKey(byte[] publicKey, KeyPair keyPair) {
    this.publicKey = publicKey;
    this.keyPair = keyPair;
  }

  /** A fresh network. */
  public static NetworkKey generate() {
    return of(Ed25519.generate());
  }

  /** The network whose operator holds {@code keyPair}. */
  public static NetworkKey of(KeyPair keyPair) {
    return new NetworkKey(keyPair.publicKey(), keyPair);
  }

  /** The network determined by a 32-byte seed (the operator's key file holds the seed). */
  public static NetworkKey fromSeed(byte[] seed) {
    if (seed == null || seed.length != Ed25519.SEED_BYTES) {
      throw NetworkException.badArgument("a network seed has 32 bytes");
    }
    return of(Ed25519.fromSeed(seed));
  }

  /** The network named by {@code publicKey}, without the right to sign. */
  public static NetworkKey ofPublic(byte[] publicKey) {
    Keys.hex(publicKey, "network key");
    return new NetworkKey(publicKey.clone(), null);
  }

  /** The network named by 64 hex characters. */
  public static NetworkKey parse(String hex) {
    return ofPublic(Keys.bytes(Keys.normalise(hex, "network key")));
  }

  public byte[] publicKey() {
    return publicKey.clone();
  }

  public String hex() {
    return HexFormat.of().formatHex(publicKey);
  }

  /** The operator's key pair, when this key holds it. */
  public Optional<KeyPair> keyPair() {
    return Optional.ofNullable(keyPair);
  }

  /** The seed of the operator's key pair (what its key file stores); NO_SECRET_KEY on a public-only key. */
  public byte[] seed() {
    return Arrays.copyOf(operator().secretKey(), Ed25519.SEED_BYTES);
  }

  /** Signs {@code roster}, which must name this network. */
  public SignedRoster sign(Roster roster) {
    if (!roster.network().equals(hex())) {
      throw new NetworkException(NetworkException.Code.WRONG_NETWORK, "the roster names network "
          + roster.network() + ", not " + hex());
    }
    return SignedRoster.sign(roster, operator().secretKey());
  }

  /** The DHT topic of {@code name} in this network ({@link Topics#keyed}). */
  public byte[] topic(String name) {
    return Topics.keyed(publicKey, name);
  }

  private KeyPair operator() {
    if (keyPair == null) {
      throw new NetworkException(NetworkException.Code.NO_SECRET_KEY, "network " + hex()
          + ": only the operator's key file can sign");
    }
    return keyPair;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NetworkKey k && Arrays.equals(publicKey, k.publicKey);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }

  @Override
  public String toString() {
    return "NetworkKey[" + hex() + (keyPair == null ? "" : ", operator") + "]";
  }
}
