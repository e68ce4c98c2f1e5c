package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * HyperDHT's address fields: compact-encoding-net {@code ipv4Address} (4 address bytes, uint16le port) and arrays of
 * them. Every address in a hyperdht message is IPv4 except {@code addresses6}. Thread-safe.
 */
public final class Ipv4 {
  /** One IPv4 address and port: 6 bytes. */
  public static final Codec<HostPort> ADDRESS = HostPort.IPV4;
  /** A uint count, then that many addresses. */
  public static final Codec<List<HostPort>> ARRAY = Compact.array(ADDRESS);
  /** A uint count, then that many IPv6 addresses (18 bytes each). */
  public static final Codec<List<HostPort>> IPV6_ARRAY = Compact.array(HostPort.IPV6);

  private Ipv4() {}

  /** {@code address} itself, when its host is a dotted-quad IPv4 literal; otherwise an {@link IllegalArgumentException}. */
  public static HostPort require(HostPort address, String field) {
    if (address == null || !isLiteral(address.host())) {
      throw new IllegalArgumentException(field + " must be an IPv4 address: " + address);
    }
    return address;
  }

  /** {@code address} itself when null or IPv4. */
  static HostPort optional(HostPort address, String field) {
    return address == null ? null : require(address, field);
  }

  /** An immutable copy of {@code addresses}, each checked to be IPv4. */
  public static List<HostPort> requireAll(List<HostPort> addresses, String field) {
    if (addresses == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    for (HostPort a : addresses) {
      require(a, field);
    }
    return List.copyOf(addresses);
  }

  /** An immutable copy of {@code addresses}, each checked to be an IPv6 literal that {@link #IPV6_ARRAY} can encode. */
  public static List<HostPort> requireAll6(List<HostPort> addresses, String field) {
    if (addresses == null) {
      throw new IllegalArgumentException(field + " must not be null");
    }
    for (HostPort a : addresses) {
      try {
        if (a == null) {
          throw new IllegalArgumentException(field + " must not hold null");
        }
        Compact.encode(HostPort.IPV6, a);
      } catch (EncodingException e) {
        throw new IllegalArgumentException(field + " must hold IPv6 addresses: " + a);
      }
    }
    return List.copyOf(addresses);
  }

  /** Whether {@code host} is four decimal octets 0..255 separated by dots (no leading '+', no spaces). */
  public static boolean isLiteral(String host) {
    if (host == null) {
      return false;
    }
    int octets = 0;
    int i = 0;
    int n = host.length();
    while (i < n && octets < 4) {
      int start = i;
      int value = 0;
      while (i < n && i - start < 3 && host.charAt(i) >= '0' && host.charAt(i) <= '9') {
        value = value * 10 + host.charAt(i) - '0';
        i++;
      }
      if (i == start || value > 255) {
        return false;
      }
      octets++;
      if (octets < 4) {
        if (i >= n || host.charAt(i) != '.') {
          return false;
        }
        i++;
      }
    }
    return octets == 4 && i == n;
  }

  /** The four address bytes of an IPv4 literal, in network order. */
  public static byte[] octets(String host) {
    if (!isLiteral(host)) {
      throw new IllegalArgumentException("not an IPv4 literal: " + host);
    }
    String[] parts = host.split("\\.");
    byte[] out = new byte[4];
    for (int i = 0; i < 4; i++) {
      out[i] = (byte) Integer.parseInt(parts[i]);
    }
    return out;
  }
}
