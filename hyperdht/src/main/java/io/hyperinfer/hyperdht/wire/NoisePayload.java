package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * The plaintext inside the two Noise IK messages of a connect ({@code lib/messages.js noisePayload}): how each peer
 * can be reached and which raw stream it opened.
 *
 * <pre>
 * version (uint, 1) | flags (uint) | error (uint) | firewall (uint)
 * [holepunch holepunchInfo]     flag 1
 * [addresses4 array(ipv4)]      flag 2, only when non-empty
 * [addresses6 array(ipv6)]      flag 4, only when non-empty
 * [udx udxInfo]                 flag 8
 * [secretStream]                flag 16
 * [relayThrough]                flag 32
 * [relayAddresses array(ipv4)]  flag 64, also when empty
 * </pre>
 *
 * <p>A payload whose version is not 1 carries nothing else: the decoder stops after the version and the encoder
 * writes only the version (JS does the same on decode, so a newer peer's payload reads as "incompatible", not as an
 * error). {@code error} and {@code firewall} are kept as the raw uints: see {@code PeerError} and
 * {@code Firewall} for the known values.
 *
 * @param version 1 for every current peer
 * @param error a {@code PeerError} code, 0 when none
 * @param firewall a {@code Firewall} class
 * @param holepunch the server's slot and relays, or null
 * @param addresses4 IPv4 addresses to try (may be empty, never null)
 * @param addresses6 IPv6 addresses (may be empty, never null)
 * @param udx the sender's raw stream, or null
 * @param secretStream present when the peer speaks secret-stream, or null
 * @param relayThrough the blind relay to use, or null
 * @param relayAddresses relays that can reach the sender, or null when not sent (empty and null differ on the wire)
 */
public record NoisePayload(long version, long error, long firewall, HolepunchInfo holepunch, List<HostPort> addresses4,
    List<HostPort> addresses6, UdxInfo udx, SecretStreamInfo secretStream, RelayThroughInfo relayThrough,
    List<HostPort> relayAddresses) {
  /** The only layout version. */
  public static final long VERSION = 1;

  private static final int HOLEPUNCH = 1;
  private static final int ADDRESSES4 = 2;
  private static final int ADDRESSES6 = 4;
  private static final int UDX = 8;
  private static final int SECRET_STREAM = 16;
  private static final int RELAY_THROUGH = 32;
  private static final int RELAY_ADDRESSES = 64;

  /** Validates the fields and copies the lists. */
  public NoisePayload {
    Uints.require(version, "version");
    Uints.require(error, "error");
    Uints.require(firewall, "firewall");
    addresses4 = Ipv4.requireAll(addresses4, "addresses4");
    addresses6 = Ipv4.requireAll6(addresses6, "addresses6");
    relayAddresses = relayAddresses == null ? null : Ipv4.requireAll(relayAddresses, "relayAddresses");
    if (version != VERSION && !(error == 0 && firewall == 0 && holepunch == null && addresses4.isEmpty()
        && addresses6.isEmpty() && udx == null && secretStream == null && relayThrough == null
        && relayAddresses == null)) {
      throw new IllegalArgumentException("a payload of version " + version + " carries no fields");
    }
  }

  /** What a peer of another layout version sent: the version and nothing else. */
  public static NoisePayload ofVersion(long version) {
    return new NoisePayload(version, 0, 0, null, List.of(), List.of(), null, null, null, null);
  }

  /** The message codec. */
  public static final Codec<NoisePayload> CODEC = new Codec<>() {
    @Override
    public int encodedLength(NoisePayload m) {
      if (m.version != VERSION) {
        return Buf.uintLength(m.version);
      }
      int n = 2 + Buf.uintLength(m.error) + Buf.uintLength(m.firewall);
      if (m.holepunch != null) {
        n += HolepunchInfo.CODEC.encodedLength(m.holepunch);
      }
      if (!m.addresses4.isEmpty()) {
        n += Ipv4.ARRAY.encodedLength(m.addresses4);
      }
      if (!m.addresses6.isEmpty()) {
        n += Ipv4.IPV6_ARRAY.encodedLength(m.addresses6);
      }
      if (m.udx != null) {
        n += UdxInfo.CODEC.encodedLength(m.udx);
      }
      if (m.secretStream != null) {
        n += SecretStreamInfo.CODEC.encodedLength(m.secretStream);
      }
      if (m.relayThrough != null) {
        n += RelayThroughInfo.CODEC.encodedLength(m.relayThrough);
      }
      if (m.relayAddresses != null) {
        n += Ipv4.ARRAY.encodedLength(m.relayAddresses);
      }
      return n;
    }

    @Override
    public void encode(NoisePayload m, Buf buf) {
      buf.writeUint(m.version);
      if (m.version != VERSION) {
        return;
      }
      buf.writeUint(flags(m));
      buf.writeUint(m.error);
      buf.writeUint(m.firewall);
      if (m.holepunch != null) {
        HolepunchInfo.CODEC.encode(m.holepunch, buf);
      }
      if (!m.addresses4.isEmpty()) {
        Ipv4.ARRAY.encode(m.addresses4, buf);
      }
      if (!m.addresses6.isEmpty()) {
        Ipv4.IPV6_ARRAY.encode(m.addresses6, buf);
      }
      if (m.udx != null) {
        UdxInfo.CODEC.encode(m.udx, buf);
      }
      if (m.secretStream != null) {
        SecretStreamInfo.CODEC.encode(m.secretStream, buf);
      }
      if (m.relayThrough != null) {
        RelayThroughInfo.CODEC.encode(m.relayThrough, buf);
      }
      if (m.relayAddresses != null) {
        Ipv4.ARRAY.encode(m.relayAddresses, buf);
      }
    }

    @Override
    public NoisePayload decode(Buf buf) {
      long version = buf.readUint();
      if (version != VERSION) {
        return ofVersion(version);
      }
      long flags = buf.readUint();
      long error = buf.readUint();
      long firewall = buf.readUint();
      HolepunchInfo holepunch = (flags & HOLEPUNCH) != 0 ? HolepunchInfo.CODEC.decode(buf) : null;
      List<HostPort> addresses4 = (flags & ADDRESSES4) != 0 ? Ipv4.ARRAY.decode(buf) : List.of();
      List<HostPort> addresses6 = (flags & ADDRESSES6) != 0 ? Ipv4.IPV6_ARRAY.decode(buf) : List.of();
      UdxInfo udx = (flags & UDX) != 0 ? UdxInfo.CODEC.decode(buf) : null;
      SecretStreamInfo secretStream = (flags & SECRET_STREAM) != 0 ? SecretStreamInfo.CODEC.decode(buf) : null;
      RelayThroughInfo relayThrough = (flags & RELAY_THROUGH) != 0 ? RelayThroughInfo.CODEC.decode(buf) : null;
      List<HostPort> relayAddresses = (flags & RELAY_ADDRESSES) != 0 ? Ipv4.ARRAY.decode(buf) : null;
      return new NoisePayload(version, error, firewall, holepunch, addresses4, addresses6, udx, secretStream,
          relayThrough, relayAddresses);
    }
  };

  private static int flags(NoisePayload m) {
    return (m.holepunch != null ? HOLEPUNCH : 0)
        | (!m.addresses4.isEmpty() ? ADDRESSES4 : 0)
        | (!m.addresses6.isEmpty() ? ADDRESSES6 : 0)
        | (m.udx != null ? UDX : 0)
        | (m.secretStream != null ? SECRET_STREAM : 0)
        | (m.relayThrough != null ? RELAY_THROUGH : 0)
        | (m.relayAddresses != null ? RELAY_ADDRESSES : 0);
  }
}
