package io.hyperinfer.hypercore;

import java.util.Arrays;

/**
 * A core's persisted head: the signed tree position, its manifest and (for a writer) the secret key. Stored as one
 * value and replaced atomically with each write batch. Immutable.
 *
 * <pre>
 *  0      1      2        10       18          26     27           27+s  59     91     (155)
 *  +------+------+--------+--------+-----------+------+------------+-----+------+------+
 *  | ver  | flags| fork   | length | byteLength| sLen | signature  | pk  | ns   | sk?  |
 *  +------+------+--------+--------+-----------+------+------------+-----+------+------+
 *  flags: 1 = compat manifest, 2 = secret key present; integers little-endian
 * </pre>
 */
record CoreHeader(long fork, long length, long byteLength, byte[] signature, Manifest manifest, byte[] secretKey) {
  private static final int VERSION = 1;
  private static final int FIXED = 27;

  byte[] encode() {
    byte[] sig = signature == null ? new byte[0] : signature;
    int size = FIXED + sig.length + 64 + (secretKey == null ? 0 : 64);
    byte[] out = new byte[size];
    out[0] = VERSION;
    out[1] = (byte) ((manifest.compat() ? 1 : 0) | (secretKey == null ? 0 : 2));
    Bytes.putUint64(out, 2, fork);
    Bytes.putUint64(out, 10, length);
    Bytes.putUint64(out, 18, byteLength);
    out[26] = (byte) sig.length;
    System.arraycopy(sig, 0, out, FIXED, sig.length);
    int at = FIXED + sig.length;
    System.arraycopy(manifest.publicKey(), 0, out, at, 32);
    System.arraycopy(manifest.namespace(), 0, out, at + 32, 32);
    if (secretKey != null) {
      System.arraycopy(secretKey, 0, out, at + 64, 64);
    }
    return out;
  }

  static CoreHeader decode(byte[] in) {
    if (in.length < FIXED || in[0] != VERSION) {
      throw HypercoreException.corrupt("core header is unreadable", 0);
    }
    int flags = in[1];
    int sigLength = in[26] & 0xFF;
    int at = FIXED + sigLength;
    int expected = at + 64 + ((flags & 2) != 0 ? 64 : 0);
    if (in.length != expected) {
      throw HypercoreException.corrupt("core header has " + in.length + " bytes, expected " + expected, 0);
    }
    byte[] signature = sigLength == 0 ? null : Arrays.copyOfRange(in, FIXED, at);
    byte[] publicKey = Arrays.copyOfRange(in, at, at + 32);
    byte[] namespace = Arrays.copyOfRange(in, at + 32, at + 64);
    byte[] secretKey = (flags & 2) != 0 ? Arrays.copyOfRange(in, at + 64, at + 128) : null;
    return new CoreHeader(Bytes.getUint64(in, 2), Bytes.getUint64(in, 10), Bytes.getUint64(in, 18), signature,
        new Manifest(publicKey, namespace, (flags & 1) != 0), secretKey);
  }

  CoreHeader withTree(TreeState state) {
    return new CoreHeader(state.fork(), state.length(), state.byteLength(), state.signature(), manifest, secretKey);
  }
}
