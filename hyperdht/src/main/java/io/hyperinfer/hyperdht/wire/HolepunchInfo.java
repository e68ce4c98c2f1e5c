package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * What a holepunchable server tells the client in its {@link NoisePayload} ({@code lib/messages.js holepunchInfo}):
 * its handshake slot and the relays through which PEER_HOLEPUNCH rounds reach it.
 *
 * <pre>
 * id (uint) | relays (array of relayInfo: relayAddress ipv4, peerAddress ipv4)
 * </pre>
 *
 * @param id the server's handshake slot, echoed in every {@link Holepunch}
 * @param relays the server's announce relays
 */
public record HolepunchInfo(long id, List<RelayInfo> relays) {
  /** Validates the fields and copies the list. */
  public HolepunchInfo {
    if (!Uints.valid(id) || relays == null) {
      throw new IllegalArgumentException("holepunch info needs a uint id and a relay list");
    }
    relays = List.copyOf(relays);
  }

  /**
   * One relay of a server ({@code relayInfo}).
   *
   * @param relayAddress the DHT node that stores the server's record
   * @param peerAddress the server's address as that node saw it when the server announced
   */
  public record RelayInfo(HostPort relayAddress, HostPort peerAddress) {
    /** Both addresses are required and IPv4. */
    public RelayInfo {
      Ipv4.require(relayAddress, "relayAddress");
      Ipv4.require(peerAddress, "peerAddress");
    }

    /** Two addresses back to back: 12 bytes. */
    public static final Codec<RelayInfo> CODEC = new Codec<>() {
      @Override
      public int encodedLength(RelayInfo m) {
        return 12;
      }

      @Override
      public void encode(RelayInfo m, Buf buf) {
        Ipv4.ADDRESS.encode(m.relayAddress, buf);
        Ipv4.ADDRESS.encode(m.peerAddress, buf);
      }

      @Override
      public RelayInfo decode(Buf buf) {
        return new RelayInfo(Ipv4.ADDRESS.decode(buf), Ipv4.ADDRESS.decode(buf));
      }
    };
  }

  private static final Codec<List<RelayInfo>> RELAYS = Compact.array(RelayInfo.CODEC);

  /** The message codec. */
  public static final Codec<HolepunchInfo> CODEC = new Codec<>() {
    @Override
    public int encodedLength(HolepunchInfo m) {
      return Buf.uintLength(m.id) + RELAYS.encodedLength(m.relays);
    }

    @Override
    public void encode(HolepunchInfo m, Buf buf) {
      buf.writeUint(m.id);
      RELAYS.encode(m.relays, buf);
    }

    @Override
    public HolepunchInfo decode(Buf buf) {
      long id = buf.readUint();
      return new HolepunchInfo(id, RELAYS.decode(buf));
    }
  };
}
