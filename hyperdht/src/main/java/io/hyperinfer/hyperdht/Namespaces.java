package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.Blake2b;
import java.nio.charset.StandardCharsets;

/**
 * The signing and key-derivation namespaces of {@code lib/constants.js NS}, built as hypercore-crypto
 * {@code namespace("hyperswarm/dht", ids)} does: {@code BLAKE2b-256(BLAKE2b-256(name) ‖ one byte id)}, with the ids
 * taken from the command numbers. Thread-safe; public accessors return copies (the package reads the arrays and never writes them).
 */
public final class Namespaces {
  /** The name all of HyperDHT's namespaces derive from. */
  public static final String NAME = "hyperswarm/dht";

  static final byte[] ANNOUNCE = derive(NAME, Command.ANNOUNCE.id());
  static final byte[] UNANNOUNCE = derive(NAME, Command.UNANNOUNCE.id());
  static final byte[] MUTABLE_PUT = derive(NAME, Command.MUTABLE_PUT.id());
  static final byte[] PEER_HANDSHAKE = derive(NAME, Command.PEER_HANDSHAKE.id());
  static final byte[] PEER_HOLEPUNCH = derive(NAME, Command.PEER_HOLEPUNCH.id());
  static final byte[] PLUGIN = derive(NAME, Command.PLUGIN.id());

  private Namespaces() {}

  /** Prefix of the announce signable. */
  public static byte[] announce() {
    return ANNOUNCE.clone();
  }

  /** Prefix of the unannounce signable. */
  public static byte[] unannounce() {
    return UNANNOUNCE.clone();
  }

  /** Prefix of the mutable-record signable. */
  public static byte[] mutablePut() {
    return MUTABLE_PUT.clone();
  }

  /** The Noise IK prologue of every connect. */
  public static byte[] peerHandshake() {
    return PEER_HANDSHAKE.clone();
  }

  /** Hashed with the handshake hash as key into the holepunch secret. */
  public static byte[] peerHolepunch() {
    return PEER_HOLEPUNCH.clone();
  }

  /** The plugin namespace (reserved for plugins; HyperDHT itself signs nothing with it). */
  public static byte[] plugin() {
    return PLUGIN.clone();
  }

  /** hypercore-crypto {@code namespace(name, [id])[0]}: {@code BLAKE2b-256(BLAKE2b-256(name) ‖ id)}. */
  public static byte[] derive(String name, int id) {
    if (id < 0 || id > 255) {
      throw new IllegalArgumentException("namespace ids are one byte: " + id);
    }
    byte[] prefix = Blake2b.hash(name.getBytes(StandardCharsets.UTF_8));
    return Blake2b.batch(prefix, new byte[] {(byte) id});
  }
}
