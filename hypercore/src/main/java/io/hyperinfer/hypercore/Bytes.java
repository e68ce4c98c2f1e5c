package io.hyperinfer.hypercore;

/** Little-endian fixed-width integers as compact-encoding's uint64 writes them. Stateless. */
final class Bytes {
  private Bytes() {}

  static byte[] uint64(long value) {
    byte[] out = new byte[8];
    putUint64(out, 0, value);
    return out;
  }

  static void putUint64(byte[] out, int at, long value) {
    for (int i = 0; i < 8; i++) {
      out[at + i] = (byte) (value >>> (8 * i));
    }
  }

  static long getUint64(byte[] in, int at) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = (v << 8) | (in[at + i] & 0xFF);
    }
    return v;
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
