package io.hyperinfer.hypercore;

import java.util.Arrays;

/**
 * A core's persisted state in two rows: the head (signed tree position), rewritten with every change, and the meta
 * (manifest and, for a writer, the secret key), written once. Immutable.
 *
 * <pre>
 * head: 0 ver | 1 fork (8) | 9 length (8) | 17 byteLength (8) | 25 sigLen (1) | 26 signature
 * meta: 0 flags (1 = compat manifest, 2 = secret key) | 1 publicKey (32) | 33 namespace (32) | 65 secretKey (64)?
 * integers little-endian
 * </pre>
 */
record CoreHeader(long fork, long length, long byteLength, byte[] signature, Manifest manifest, byte[] secretKey) {
  private static final int VERSION = 1;
  private static final int HEAD_FIXED = 26;

  byte[] encodeHead() {
    byte[] sig = signature == null ? new byte[0] : signature;
    byte[] out = new byte[HEAD_FIXED + sig.length];
    out[0] = VERSION;
    Bytes.putUint64(out, 1, fork);
    Bytes.putUint64(out, 9, length);
    Bytes.putUint64(out, 17, byteLength);
    out[25] = (byte) sig.length;
    System.arraycopy(sig, 0, out, HEAD_FIXED, sig.length);
    return out;
  }

  byte[] encodeMeta() {
    byte[] out = new byte[65 + (secretKey == null ? 0 : 64)];
    out[0] = (byte) ((manifest.compat() ? 1 : 0) | (secretKey == null ? 0 : 2));
    System.arraycopy(manifest.publicKey(), 0, out, 1, 32);
    System.arraycopy(manifest.namespace(), 0, out, 33, 32);
    if (secretKey != null) {
      System.arraycopy(secretKey, 0, out, 65, 64);
    }
    return out;
  }

  static CoreHeader decode(byte[] head, byte[] meta) {
    if (head.length < HEAD_FIXED || head[0] != VERSION || head.length != HEAD_FIXED + (head[25] & 0xFF)) {
      throw HypercoreException.corrupt("core head row is unreadable (" + head.length + " bytes)", 0);
    }
    if (meta == null || meta.length < 65 || meta.length != 65 + ((meta[0] & 2) != 0 ? 64 : 0)) {
      throw HypercoreException.corrupt("core meta row is unreadable", 0);
    }
    byte[] signature = head.length == HEAD_FIXED ? null : Arrays.copyOfRange(head, HEAD_FIXED, head.length);
    Manifest manifest = new Manifest(Arrays.copyOfRange(meta, 1, 33), Arrays.copyOfRange(meta, 33, 65),
        (meta[0] & 1) != 0);
    byte[] secretKey = (meta[0] & 2) != 0 ? Arrays.copyOfRange(meta, 65, 129) : null;
    return new CoreHeader(Bytes.getUint64(head, 1), Bytes.getUint64(head, 9), Bytes.getUint64(head, 17), signature,
        manifest, secretKey);
  }
}
