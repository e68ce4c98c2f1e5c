package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * A peer record as DHT nodes store and return it ({@code lib/messages.js peer}): the announcer's public key and the
 * relays that can reach it. JS servers announce an empty relay list.
 *
 * <pre>
 * publicKey (32) | relayAddresses (array of ipv4)
 * </pre>
 *
 * @param publicKey the announcer's Ed25519 public key. Not copied: treat as immutable
 * @param relayAddresses relays in the announcer's order
 */
public record Peer(byte[] publicKey, List<HostPort> relayAddresses) {
  /** Validates the key size and copies the list. */
  public Peer {
    if (publicKey == null || publicKey.length != 32) {
      throw new IllegalArgumentException("a peer record needs a 32-byte public key");
    }
    relayAddresses = Ipv4.requireAll(relayAddresses, "relayAddresses");
  }

  /** This record with at most {@code max} relay addresses (storing nodes keep 3). */
  public Peer withRelayLimit(int max) {
    return relayAddresses.size() <= max ? this : new Peer(publicKey, relayAddresses.subList(0, max));
  }

  /** The record codec. */
  public static final Codec<Peer> CODEC = new Codec<>() {
    @Override
    public int encodedLength(Peer m) {
      return 32 + Ipv4.ARRAY.encodedLength(m.relayAddresses);
    }

    @Override
    public void encode(Peer m, Buf buf) {
      buf.writeBytes(m.publicKey);
      Ipv4.ARRAY.encode(m.relayAddresses, buf);
    }

    @Override
    public Peer decode(Buf buf) {
      byte[] publicKey = Compact.FIXED32.decode(buf);
      return new Peer(publicKey, Ipv4.ARRAY.decode(buf));
    }
  };

  /** {@code peers}: a uint count, then that many records. */
  public static final Codec<List<Peer>> LIST = Compact.array(CODEC);
}
