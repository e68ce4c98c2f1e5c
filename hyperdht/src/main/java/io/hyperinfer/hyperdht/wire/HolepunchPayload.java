package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * One holepunch round's plaintext ({@code lib/messages.js holepunchPayload}), sealed inside {@link Holepunch} by
 * {@code SecurePayload}.
 *
 * <pre>
 * flags (uint: 1 connected, 2 punching, 4 addresses, 8 remoteAddress, 16 token, 32 remoteToken)
 * error (uint) | firewall (uint) | round (uint)
 * [addresses array(ipv4)] | [remoteAddress ipv4] | [token 32] | [remoteToken 32]
 * </pre>
 *
 * @param error a {@code PeerError} code
 * @param firewall the sender's {@code Firewall} class
 * @param round the round number
 * @param connected whether the sender already has a connection
 * @param punching whether the sender is punching now
 * @param addresses the sender's public addresses, or null (empty and null differ on the wire)
 * @param remoteAddress the receiver's address as the sender sees it, or null
 * @param token the sender's token for the receiver's host, or null. Not copied: treat as immutable
 * @param remoteToken the receiver's token echoed back, or null. Not copied: treat as immutable
 */
public record HolepunchPayload(long error, long firewall, long round, boolean connected, boolean punching,
    List<HostPort> addresses, HostPort remoteAddress, byte[] token, byte[] remoteToken) {
  private static final int CONNECTED = 1;
  private static final int PUNCHING = 2;
  private static final int ADDRESSES = 4;
  private static final int REMOTE_ADDRESS = 8;
  private static final int TOKEN = 16;
  private static final int REMOTE_TOKEN = 32;

  /** Validates the fields and copies the address list. */
  public HolepunchPayload {
    Uints.require(error, "error");
    Uints.require(firewall, "firewall");
    Uints.require(round, "round");
    addresses = addresses == null ? null : Ipv4.requireAll(addresses, "addresses");
    Ipv4.optional(remoteAddress, "remoteAddress");
    if ((token != null && token.length != 32) || (remoteToken != null && remoteToken.length != 32)) {
      throw new IllegalArgumentException("holepunch tokens are 32 bytes");
    }
  }

  /** The message codec. */
  public static final Codec<HolepunchPayload> CODEC = new Codec<>() {
    @Override
    public int encodedLength(HolepunchPayload m) {
      int n = 1 + Buf.uintLength(m.error) + Buf.uintLength(m.firewall) + Buf.uintLength(m.round);
      if (m.addresses != null) {
        n += Ipv4.ARRAY.encodedLength(m.addresses);
      }
      return n + (m.remoteAddress != null ? 6 : 0) + (m.token != null ? 32 : 0) + (m.remoteToken != null ? 32 : 0);
    }

    @Override
    public void encode(HolepunchPayload m, Buf buf) {
      buf.writeUint((m.connected ? CONNECTED : 0) | (m.punching ? PUNCHING : 0) | (m.addresses != null ? ADDRESSES : 0)
          | (m.remoteAddress != null ? REMOTE_ADDRESS : 0) | (m.token != null ? TOKEN : 0)
          | (m.remoteToken != null ? REMOTE_TOKEN : 0));
      buf.writeUint(m.error);
      buf.writeUint(m.firewall);
      buf.writeUint(m.round);
      if (m.addresses != null) {
        Ipv4.ARRAY.encode(m.addresses, buf);
      }
      if (m.remoteAddress != null) {
        Ipv4.ADDRESS.encode(m.remoteAddress, buf);
      }
      if (m.token != null) {
        buf.writeBytes(m.token);
      }
      if (m.remoteToken != null) {
        buf.writeBytes(m.remoteToken);
      }
    }

    @Override
    public HolepunchPayload decode(Buf buf) {
      long flags = buf.readUint();
      long error = buf.readUint();
      long firewall = buf.readUint();
      long round = buf.readUint();
      List<HostPort> addresses = (flags & ADDRESSES) != 0 ? Ipv4.ARRAY.decode(buf) : null;
      HostPort remoteAddress = (flags & REMOTE_ADDRESS) != 0 ? Ipv4.ADDRESS.decode(buf) : null;
      byte[] token = (flags & TOKEN) != 0 ? Compact.FIXED32.decode(buf) : null;
      byte[] remoteToken = (flags & REMOTE_TOKEN) != 0 ? Compact.FIXED32.decode(buf) : null;
      return new HolepunchPayload(error, firewall, round, (flags & CONNECTED) != 0, (flags & PUNCHING) != 0,
          addresses, remoteAddress, token, remoteToken);
    }
  };
}
