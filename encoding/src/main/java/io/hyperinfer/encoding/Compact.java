package io.hyperinfer.encoding;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The compact-encoding 3.5.2 primitives as composable {@link Codec} constants, plus one-shot helpers. Values are
 * written back to back with no tags; optional fields are announced by a flags uint in each message.
 * Thread-safe: every codec is stateless.
 */
public final class Compact {
  /** Cap on a buffer or string length prefix; larger prefixes fail before any allocation. */
  public static final int MAX_BYTES_LENGTH = 64 << 20;
  /** Cap on an array count, as the JS reference ({@code 0x100000}). */
  public static final int MAX_ARRAY_COUNT = 0x100000;

  /** Varint, 0 .. 2^53-1. */
  public static final Codec<Long> UINT = new Codec<>() {
    @Override public int encodedLength(Long v) { return Buf.uintLength(v); }
    @Override public void encode(Long v, Buf buf) { buf.writeUint(v); }
    @Override public Long decode(Buf buf) { return buf.readUint(); }
  };

  /** One byte. */
  public static final Codec<Integer> UINT8 = fixedInt(1, 0xff);
  /** Two bytes, little-endian. */
  public static final Codec<Integer> UINT16 = fixedInt(2, 0xffff);
  /** Three bytes, little-endian. */
  public static final Codec<Integer> UINT24 = fixedInt(3, 0xffffff);

  /** Four bytes, little-endian. */
  public static final Codec<Long> UINT32 = new Codec<>() {
    @Override public int encodedLength(Long v) { return 4; }
    @Override public void encode(Long v, Buf buf) {
      if (v < 0 || v > 0xffffffffL) {
        throw EncodingException.badValue("uint32 out of range: " + v);
      }
      buf.writeUint32(v);
    }
    @Override public Long decode(Buf buf) { return buf.readUint32(); }
  };

  /** Eight bytes, little-endian, 0 .. 2^53-1 as in JS. */
  public static final Codec<Long> UINT64 = new Codec<>() {
    @Override public int encodedLength(Long v) { return 8; }
    @Override public void encode(Long v, Buf buf) {
      Buf.checkUint(v);
      buf.writeUint64(v);
    }
    @Override public Long decode(Buf buf) { return buf.readUint64(); }
  };

  /** Zig-zag signed varint: -1 as 1, 1 as 2; magnitude up to 2^52 as in JS. */
  public static final Codec<Long> INT = new Codec<>() {
    @Override public int encodedLength(Long v) { return Buf.uintLength(zigZag(v)); }
    @Override public void encode(Long v, Buf buf) { buf.writeUint(zigZag(v)); }
    @Override public Long decode(Buf buf) {
      long n = buf.readUint();
      return (n >>> 1) ^ -(n & 1);
    }
  };

  /** One byte; only 1 decodes as true. */
  public static final Codec<Boolean> BOOL = new Codec<>() {
    @Override public int encodedLength(Boolean v) { return 1; }
    @Override public void encode(Boolean v, Buf buf) { buf.writeUint8(v ? 1 : 0); }
    @Override public Boolean decode(Buf buf) { return buf.readUint8() == 1; }
  };

  /** Length-prefixed bytes; never null (use flags or {@link #OPTIONAL_BUFFER}); empty decodes as empty. */
  public static final Codec<byte[]> BUFFER = new Codec<>() {
    @Override public int encodedLength(byte[] v) { return Buf.uintLength(v.length) + v.length; }
    @Override public void encode(byte[] v, Buf buf) {
      buf.writeUint(v.length);
      buf.writeBytes(v);
    }
    @Override public byte[] decode(Buf buf) { return buf.readBytes(buf.readLength(MAX_BYTES_LENGTH)); }
  };

  /** Like {@link #BUFFER}, but null encodes as length 0 and length 0 decodes as null. */
  public static final Codec<byte[]> OPTIONAL_BUFFER = new Codec<>() {
    @Override public int encodedLength(byte[] v) { return v == null ? 1 : BUFFER.encodedLength(v); }
    @Override public void encode(byte[] v, Buf buf) {
      if (v == null) {
        buf.writeUint8(0);
      } else {
        BUFFER.encode(v, buf);
      }
    }
    @Override public byte[] decode(Buf buf) {
      byte[] b = BUFFER.decode(buf);
      return b.length == 0 ? null : b;
    }
  };

  /** Length-prefixed UTF-8; malformed bytes decode as U+FFFD, as in JS. */
  public static final Codec<String> STRING = new Codec<>() {
    @Override public int encodedLength(String v) {
      int n = Utf8.length(v);
      return Buf.uintLength(n) + n;
    }
    @Override public void encode(String v, Buf buf) {
      buf.writeUint(Utf8.length(v));
      Utf8.write(v, buf);
    }
    @Override public String decode(Buf buf) {
      int n = buf.readLength(MAX_BYTES_LENGTH);
      buf.require(n);
      String s = new String(buf.array(), buf.position(), n, StandardCharsets.UTF_8);
      buf.skip(n);
      return s;
    }
  };

  /** The rest of the buffer, with no length prefix; decoding takes everything left. */
  public static final Codec<byte[]> RAW = new Codec<>() {
    @Override public int encodedLength(byte[] v) { return v.length; }
    @Override public void encode(byte[] v, Buf buf) { buf.writeBytes(v); }
    @Override public byte[] decode(Buf buf) { return buf.readBytes(buf.remaining()); }
  };

  /** 32 raw bytes (keys, ids). */
  public static final Codec<byte[]> FIXED32 = fixed(32);
  /** 64 raw bytes (signatures, secret keys). */
  public static final Codec<byte[]> FIXED64 = fixed(64);

  private Compact() {}

  /** Exactly {@code n} raw bytes. */
  public static Codec<byte[]> fixed(int n) {
    return new Codec<>() {
      @Override public int encodedLength(byte[] v) {
        if (v.length != n) {
          throw EncodingException.badValue("expected " + n + " bytes, got " + v.length);
        }
        return n;
      }
      @Override public void encode(byte[] v, Buf buf) {
        encodedLength(v);
        buf.writeBytes(v);
      }
      @Override public byte[] decode(Buf buf) { return buf.readBytes(n); }
    };
  }

  /** A uint count, then that many items; decoding rejects counts above {@link #MAX_ARRAY_COUNT}. */
  public static <T> Codec<List<T>> array(Codec<T> item) {
    return new Codec<>() {
      @Override public int encodedLength(List<T> v) {
        int n = Buf.uintLength(v.size());
        for (T t : v) {
          n += item.encodedLength(t);
        }
        return n;
      }
      @Override public void encode(List<T> v, Buf buf) {
        buf.writeUint(v.size());
        for (T t : v) {
          item.encode(t, buf);
        }
      }
      @Override public List<T> decode(Buf buf) {
        int count = buf.readLength(MAX_ARRAY_COUNT);
        // Each item takes at least one byte, so a count beyond the input is a lie: do not presize by it.
        List<T> out = new ArrayList<>(Math.min(count, buf.remaining()));
        for (int i = 0; i < count; i++) {
          out.add(item.decode(buf));
        }
        return List.copyOf(out);
      }
    };
  }

  /** {@code value} in one exact-size array. */
  public static <T> byte[] encode(Codec<T> codec, T value) {
    Buf buf = Buf.allocate(codec.encodedLength(value));
    codec.encode(value, buf);
    if (buf.remaining() != 0) {
      throw EncodingException.badValue("codec wrote " + buf.position() + " of " + buf.limit() + " bytes");
    }
    return buf.array();
  }

  /** The value at the start of {@code bytes}; trailing bytes are ignored, as newer peers append fields. */
  public static <T> T decode(Codec<T> codec, byte[] bytes) {
    return codec.decode(Buf.wrap(bytes));
  }

  private static Codec<Integer> fixedInt(int width, int max) {
    return new Codec<>() {
      @Override public int encodedLength(Integer v) { return width; }
      @Override public void encode(Integer v, Buf buf) {
        if (v < 0 || v > max) {
          throw EncodingException.badValue("uint" + width * 8 + " out of range: " + v);
        }
        switch (width) {
          case 1 -> buf.writeUint8(v);
          case 2 -> buf.writeUint16(v);
          default -> buf.writeUint24(v);
        }
      }
      @Override public Integer decode(Buf buf) {
        return switch (width) {
          case 1 -> buf.readUint8();
          case 2 -> buf.readUint16();
          default -> buf.readUint24();
        };
      }
    };
  }

  private static long zigZag(long v) {
    if (v > (1L << 52) - 1 || v < -(1L << 52)) {
      throw EncodingException.badValue("int out of range: " + v);
    }
    return (v << 1) ^ (v >> 63);
  }
}
