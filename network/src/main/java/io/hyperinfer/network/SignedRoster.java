package io.hyperinfer.network;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link Roster} with the operator's Ed25519 signature over {@code NAMESPACE ‖ encode(roster)}. The namespace keeps
 * a roster signature from ever being valid as another message signed by the network key (the HyperDHT mutable record
 * that carries it is signed over its own namespace). Constructing one does not verify it: {@link #verify} does, and
 * {@link RosterBook} accepts nothing else. Immutable.
 *
 * @param roster the roster
 * @param signature 64 bytes
 */
public record SignedRoster(Roster roster, byte[] signature) {
  /** BLAKE2b-256 of "hyperinfer/roster/v1": the domain of roster signatures. */
  static final byte[] NAMESPACE = Blake2b.hash("hyperinfer/roster/v1".getBytes(StandardCharsets.UTF_8));
  /** Largest signed roster: the caps of {@link Roster} at full size, below a UDP datagram's 65,507 bytes. */
  public static final int MAX_BYTES = 1 + 32 + 9 + 1 + 32 + 3 + Roster.MAX_MEMBERS * 33 + 3 + Roster.MAX_REVOKED * 32
      + Ed25519.SIGNATURE_BYTES;

  /** roster, then fixed64 signature. Decoding checks shape only, never the signature. Thread-safe. */
  public static final Codec<SignedRoster> CODEC = new Codec<>() {
    @Override
    public int encodedLength(SignedRoster v) {
      return RosterCodec.INSTANCE.encodedLength(v.roster) + Ed25519.SIGNATURE_BYTES;
    }

    @Override
    public void encode(SignedRoster v, Buf buf) {
      RosterCodec.INSTANCE.encode(v.roster, buf);
      buf.writeBytes(v.signature);
    }

    @Override
    public SignedRoster decode(Buf buf) {
      Roster roster = RosterCodec.INSTANCE.decode(buf);
      return new SignedRoster(roster, buf.readBytes(Ed25519.SIGNATURE_BYTES));
    }
  };

  public SignedRoster {
    if (roster == null || signature == null || signature.length != Ed25519.SIGNATURE_BYTES) {
      throw NetworkException.badArgument("a signed roster needs a roster and a 64-byte signature");
    }
    signature = signature.clone();
  }

  /** Signs {@code roster} with {@code secretKey} (libsodium's 64 bytes); the caller checks it is the network's. */
  static SignedRoster sign(Roster roster, byte[] secretKey) {
    return new SignedRoster(roster, Ed25519.sign(signable(roster), secretKey));
  }

  /** The whole encoding, exactly {@link #MAX_BYTES} or fewer bytes. */
  public byte[] encode() {
    return Compact.encode(CODEC, this);
  }

  /**
   * The signed roster in {@code bytes}, all of them (no trailing bytes); {@link NetworkException.Code#BAD_ROSTER}
   * otherwise. Its signature is not checked yet.
   */
  public static SignedRoster decode(byte[] bytes) {
    if (bytes == null || bytes.length > MAX_BYTES) {
      throw new NetworkException(NetworkException.Code.BAD_ROSTER, "a signed roster has at most " + MAX_BYTES
          + " bytes");
    }
    try {
      Buf buf = Buf.wrap(bytes);
      SignedRoster decoded = CODEC.decode(buf);
      if (buf.remaining() != 0) {
        throw DecodeException.outOfRange("bytes after the signed roster");
      }
      return decoded;
    } catch (DecodeException e) {
      throw new NetworkException(NetworkException.Code.BAD_ROSTER, "not a signed roster: " + e.getMessage(), e);
    }
  }

  /** Whether the signature is the network key's over this roster and the roster names {@code network} (hex). */
  public boolean verify(String network) {
    return roster.network().equals(network)
        && Ed25519.verify(signature, signable(roster), Keys.bytes(roster.network()));
  }

  @Override
  public byte[] signature() {
    return signature.clone();
  }

  private static byte[] signable(Roster roster) {
    int n = NAMESPACE.length;
    byte[] body = Compact.encode(RosterCodec.INSTANCE, roster);
    byte[] out = Arrays.copyOf(NAMESPACE, n + body.length);
    System.arraycopy(body, 0, out, n, body.length);
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedRoster s && roster.equals(s.roster) && Arrays.equals(signature, s.signature);
  }

  @Override
  public int hashCode() {
    return 31 * roster.hashCode() + Arrays.hashCode(signature);
  }

  @Override
  public String toString() {
    return "SignedRoster[network=" + roster.network().substring(0, 12) + ", seq=" + roster.seq() + ", members="
        + roster.members().size() + ", revoked=" + roster.revoked().size() + "]";
  }
}
