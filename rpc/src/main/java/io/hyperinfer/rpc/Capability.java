package io.hyperinfer.rpc;

import io.hyperinfer.crypto.Blake2b;
import java.nio.charset.StandardCharsets;

/**
 * hyperswarm-capability: proves to the peer that this side knows a shared key, bound to one connection:
 * {@code BLAKE2b-256(namespace || [1 if initiator else 0] || key; key = handshakeHash)}. Thread-safe.
 */
public final class Capability {
  /** {@code namespace("hyperswarm-capability", 1)[0]}, the @hyperswarm/rpc default. */
  public static final byte[] DEFAULT_NAMESPACE = namespace("hyperswarm-capability");

  private final byte[] namespace;

  public Capability(byte[] namespace) {
    if (namespace.length != 32) {
      throw new IllegalArgumentException("namespace must be 32 bytes");
    }
    this.namespace = namespace.clone();
  }

  public Capability() {
    this(DEFAULT_NAMESPACE);
  }

  /** The capability a side with role {@code isInitiator} sends on the connection with {@code handshakeHash}. */
  public byte[] capability(boolean isInitiator, byte[] key, byte[] handshakeHash) {
    return Blake2b.batch(new byte[][] {namespace, {(byte) (isInitiator ? 1 : 0)}, key}, handshakeHash, 32);
  }

  private static byte[] namespace(String name) {
    byte[] ns = new byte[33];
    System.arraycopy(Blake2b.hash(name.getBytes(StandardCharsets.UTF_8)), 0, ns, 0, 32);
    return Blake2b.hash(ns);
  }
}
