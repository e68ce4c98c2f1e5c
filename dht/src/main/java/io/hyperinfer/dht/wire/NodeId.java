package io.hyperinfer.dht.wire;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.Arrays;

/**
 * Node ids (dht-rpc {@code lib/peer.js id}): BLAKE2b-256 of the node's IPv4 address as peers see it, 4 address
 * bytes then a uint16le port. A message's claimed id counts only when it matches its source address. Thread-safe.
 */
public final class NodeId {
  private NodeId() {}

  /** The id of {@code host:port}; the host must be an IPv4 literal. */
  public static byte[] of(HostPort address) {
    return Blake2b.hash(Compact.encode(HostPort.IPV4, address));
  }

  /** The id of {@code host:port}. */
  public static byte[] of(String host, int port) {
    return of(new HostPort(host, port));
  }

  /** Whether {@code claimed} is the id of {@code source}. */
  public static boolean matches(byte[] claimed, HostPort source) {
    return claimed != null && Arrays.equals(claimed, of(source));
  }
}
