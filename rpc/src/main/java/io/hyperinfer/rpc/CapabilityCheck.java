package io.hyperinfer.rpc;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.EncodingException;
import java.security.MessageDigest;

/**
 * The @rpc/handshake of one connection: {@code uint flags (bit 0 = has capability), fixed32 capability}. We send our
 * capability for our role and accept the peer's only if it matches the one computed for its role. Thread-safe.
 */
public final class CapabilityCheck {
  private final byte[] local;
  private final byte[] expectedRemote;

  /**
   * @param key the shared capability key
   * @param isInitiator this side's role on the secret stream
   * @param handshakeHash the stream's 64-byte Noise handshake hash
   */
  public CapabilityCheck(Capability capability, byte[] key, boolean isInitiator, byte[] handshakeHash) {
    this.local = capability.capability(isInitiator, key, handshakeHash);
    this.expectedRemote = capability.capability(!isInitiator, key, handshakeHash);
  }

  /** The handshake bytes to put in our open. */
  public byte[] localHandshake() {
    byte[] out = new byte[33];
    out[0] = 1;
    System.arraycopy(local, 0, out, 1, 32);
    return out;
  }

  /** True if the peer's open carried the capability expected from its role. */
  public boolean verify(byte[] remoteHandshake) {
    if (remoteHandshake == null) {
      return false; // the peer opened without a handshake: it proves nothing
    }
    try {
      Buf buf = Buf.wrap(remoteHandshake);
      if ((buf.readUint() & 1) == 0) {
        return false;
      }
      return MessageDigest.isEqual(expectedRemote, buf.readBytes(32));
    } catch (EncodingException e) {
      return false;
    }
  }
}
