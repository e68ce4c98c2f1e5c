package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * A connectable address (hyperdht-address 1.1.1, hyperschema {@code @hyperdht/address} v2): a server's public key
 * and, optionally, DHT nodes that relay for it. {@code connect} accepts it wherever it accepts a key; a bare 32-byte
 * key decodes as an address without nodes.
 *
 * <pre>
 * key (32) | flags (uint: 1 nodes; absent at the end of input = 0) | [nodes array(ipv4)]
 * </pre>
 *
 * @param key the server's public key. Not copied: treat as immutable
 * @param nodes relay nodes to try first, or null
 */
public record HyperDhtAddress(byte[] key, List<HostPort> nodes) {
  private static final int NODES = 1;

  /** Validates the key size and copies the list. */
  public HyperDhtAddress {
    if (key == null || key.length != 32) {
      throw new IllegalArgumentException("an address needs a 32-byte key");
    }
    nodes = nodes == null ? null : Ipv4.requireAll(nodes, "nodes");
  }

  /** The message codec. */
  public static final Codec<HyperDhtAddress> CODEC = new Codec<>() {
    @Override
    public int encodedLength(HyperDhtAddress m) {
      return 33 + (m.nodes != null ? Ipv4.ARRAY.encodedLength(m.nodes) : 0);
    }

    @Override
    public void encode(HyperDhtAddress m, Buf buf) {
      buf.writeBytes(m.key);
      buf.writeUint(m.nodes != null ? NODES : 0);
      if (m.nodes != null) {
        Ipv4.ARRAY.encode(m.nodes, buf);
      }
    }

    @Override
    public HyperDhtAddress decode(Buf buf) {
      byte[] key = Compact.FIXED32.decode(buf);
      long flags = buf.remaining() > 0 ? buf.readUint() : 0;
      return new HyperDhtAddress(key, (flags & NODES) != 0 ? Ipv4.ARRAY.decode(buf) : null);
    }
  };
}
