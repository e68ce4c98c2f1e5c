package io.hyperinfer.dht;

import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.encoding.HostPort;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A node as a message showed it: its IPv4 address and, when it sent one that matches that address, its node id
 * (dht-rpc's {@code {id, host, port}}). Immutable; the id array must not be modified.
 *
 * @param host an IPv4 literal
 * @param port 1 .. 65535 for sources, 0 .. 65535 in closer-node lists
 * @param id the node's 32-byte id, or null when it has none (ephemeral) or claimed a wrong one
 */
public record Peer(String host, int port, byte[] id) {
  public Peer {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (id != null && id.length != 32) {
      throw new IllegalArgumentException("id must be 32 bytes");
    }
  }

  /** {@code address} with no id. */
  public static Peer of(HostPort address) {
    return new Peer(address.host(), address.port(), null);
  }

  /** {@code address} with the id derived from it, as dht-rpc gives closer nodes and bootstrap nodes. */
  public static Peer withDerivedId(HostPort address) {
    return new Peer(address.host(), address.port(), NodeId.of(address));
  }

  public HostPort address() {
    return new HostPort(host, port);
  }

  /** Same host and port (ids ignored). */
  public boolean sameAddress(HostPort other) {
    return port == other.port() && host.equals(other.host());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Peer p && port == p.port && host.equals(p.host) && Arrays.equals(id, p.id);
  }

  @Override
  public int hashCode() {
    return Objects.hash(host, port, Arrays.hashCode(id));
  }

  @Override
  public String toString() {
    return host + ":" + port + (id == null ? "" : "/" + HexFormat.of().formatHex(id, 0, 4));
  }
}
