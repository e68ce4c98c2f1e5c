package io.hyperinfer.encoding;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IP address literal and a port, as compact-encoding-net's {@code {host, port}}. IPv4 hosts are dotted quads;
 * IPv6 hosts decode in the long form JS produces ({@code 0:0:0:0:0:0:0:1}).
 *
 * @param host an IP literal, never a name to resolve
 * @param port 0 .. 65535
 */
public record HostPort(String host, int port) {
  /** 4 address bytes in network order, then a uint16le port. */
  public static final Codec<HostPort> IPV4 = codec(4);
  /** 16 address bytes in network order, then a uint16le port. */
  public static final Codec<HostPort> IPV6 = codec(16);

  /** Validates the port; the host is checked when encoded. */
  public HostPort {
    if (port < 0 || port > 0xffff) {
      throw EncodingException.badValue("port out of range: " + port);
    }
  }

  private static Codec<HostPort> codec(int width) {
    return new Codec<>() {
      @Override public int encodedLength(HostPort v) { return width + 2; }
      @Override public void encode(HostPort v, Buf buf) {
        buf.writeBytes(addressBytes(v.host, width));
        buf.writeUint16(v.port);
      }
      @Override public HostPort decode(Buf buf) {
        byte[] a = buf.readBytes(width);
        return new HostPort(width == 4 ? ipv4(a) : ipv6(a), buf.readUint16());
      }
    };
  }

  private static byte[] addressBytes(String host, int width) {
    try {
      InetAddress address = width == 4 ? Inet4Address.ofLiteral(host) : Inet6Address.ofLiteral(host);
      byte[] raw = address.getAddress();
      if (raw.length != width) {
        throw EncodingException.badValue("not an IPv" + (width == 4 ? 4 : 6) + " literal: " + host);
      }
      return raw;
    } catch (IllegalArgumentException e) {
      throw EncodingException.badValue("not an IP literal: " + host);
    }
  }

  private static String ipv4(byte[] a) {
    return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
  }

  private static String ipv6(byte[] a) {
    StringBuilder s = new StringBuilder(39);
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        s.append(':');
      }
      s.append(Integer.toHexString((a[i] & 0xff) << 8 | a[i + 1] & 0xff));
    }
    return s.toString();
  }
}
