package io.hyperinfer.hyperbee;

/**
 * The slice of protocol buffers hyperbee's messages use: varints, length-delimited fields and packed varint arrays.
 * Reader: confined to one decode call; every read is bounds-checked and failures are DECODING_ERROR.
 */
final class Protobuf {
  static final int WIRE_VARINT = 0;
  static final int WIRE_FIXED64 = 1;
  static final int WIRE_BYTES = 2;
  static final int WIRE_FIXED32 = 5;

  private Protobuf() {}

  /** Sequential reader over one message. */
  static final class Reader {
    private final byte[] buf;
    private int at;
    private final int end;

    Reader(byte[] buf, int from, int end) {
      this.buf = buf;
      this.at = from;
      this.end = end;
    }

    boolean hasMore() {
      return at < end;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        if (at >= end) {
          throw BeeException.decoding("truncated varint");
        }
        byte b = buf[at++];
        value |= (long) (b & 0x7F) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw BeeException.decoding("varint longer than 10 bytes");
    }

    int length() {
      long n = varint();
      if (n < 0 || n > end - at) {
        throw BeeException.decoding("length " + n + " runs past the message");
      }
      return (int) n;
    }

    byte[] bytes() {
      int n = length();
      byte[] out = java.util.Arrays.copyOfRange(buf, at, at + n);
      at += n;
      return out;
    }

    /** A sub-reader over the next length-delimited field. */
    Reader message() {
      int n = length();
      Reader sub = new Reader(buf, at, at + n);
      at += n;
      return sub;
    }

    /** A packed repeated varint field, appended to {@code out}. */
    void packed(LongList out) {
      Reader sub = message();
      while (sub.hasMore()) {
        out.add(sub.varint());
      }
    }

    void skip(int wireType) {
      switch (wireType) {
        case WIRE_VARINT -> varint();
        case WIRE_FIXED64 -> advance(8);
        case WIRE_BYTES -> advance(length());
        case WIRE_FIXED32 -> advance(4);
        default -> throw BeeException.decoding("unknown wire type " + wireType);
      }
    }

    private void advance(int n) {
      if (n > end - at) {
        throw BeeException.decoding("field runs past the message");
      }
      at += n;
    }
  }

  /** Growable long array without boxing. Not thread-safe. */
  static final class LongList {
    private long[] items = new long[8];
    private int size;

    void add(long v) {
      if (size == items.length) {
        items = java.util.Arrays.copyOf(items, size * 2);
      }
      items[size++] = v;
    }

    long[] toArray() {
      return java.util.Arrays.copyOf(items, size);
    }
  }

  /** Growable output buffer; unsynchronised, unlike ByteArrayOutputStream. Not thread-safe. */
  static final class Writer {
    private byte[] buf = new byte[128];
    private int size;

    void write(int b) {
      if (size == buf.length) {
        buf = java.util.Arrays.copyOf(buf, size * 2);
      }
      buf[size++] = (byte) b;
    }

    void write(byte[] bytes) {
      if (size + bytes.length > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + bytes.length));
      }
      System.arraycopy(bytes, 0, buf, size, bytes.length);
      size += bytes.length;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, size);
    }
  }

  static void varint(Writer out, long value) {
    long v = value;
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  static int varintLength(long value) {
    int n = 1;
    for (long v = value >>> 7; v != 0; v >>>= 7) {
      n++;
    }
    return n;
  }

  static void bytesField(Writer out, int field, byte[] value) {
    out.write(field << 3 | WIRE_BYTES);
    varint(out, value.length);
    out.write(value);
  }

  /** A packed varint array; omitted when empty, as hyperbee's generated encoder does. */
  static void packedField(Writer out, int field, long[] values) {
    if (values.length == 0) {
      return;
    }
    int length = 0;
    for (long v : values) {
      length += varintLength(v);
    }
    out.write(field << 3 | WIRE_BYTES);
    varint(out, length);
    for (long v : values) {
      varint(out, v);
    }
  }
}
