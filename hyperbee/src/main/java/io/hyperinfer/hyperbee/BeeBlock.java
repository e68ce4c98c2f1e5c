package io.hyperinfer.hyperbee;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One decoded hyperbee block (the protobuf {@code Node}): the entry's key, its value (null for a deletion) and the
 * tree nodes this write changed, as levels of key seqs and (seq, offset) child pointers. Immutable.
 */
record BeeBlock(long seq, byte[] key, byte[] value, List<Level> levels) {
  static final byte[] HEADER = header();

  /** One tree node: key seqs and child pointers as flat (seq, offset) pairs. */
  record Level(long[] keys, long[] children) {}

  /** Whether this block deletes its key: no value and the key is not referenced by its own tree. */
  boolean isDeletion() {
    if (value != null) {
      return false;
    }
    for (Level level : levels) {
      for (long k : level.keys) {
        if (k == seq) {
          return false;
        }
      }
    }
    return true;
  }

  Level level(int offset) {
    if (offset < 0 || offset >= levels.size()) {
      throw BeeException.decoding("block " + seq + " has no tree node " + offset);
    }
    return levels.get(offset);
  }

  static byte[] encode(byte[] key, byte[] value, List<Level> levels) {
    Protobuf.Writer index = new Protobuf.Writer();
    for (Level level : levels) {
      Protobuf.Writer body = new Protobuf.Writer();
      Protobuf.packedField(body, 1, level.keys);
      Protobuf.packedField(body, 2, level.children);
      Protobuf.bytesField(index, 1, body.toByteArray());
    }
    Protobuf.Writer out = new Protobuf.Writer();
    Protobuf.bytesField(out, 1, index.toByteArray());
    Protobuf.bytesField(out, 2, key);
    if (value != null) {
      Protobuf.bytesField(out, 3, value);
    }
    return out.toByteArray();
  }

  static BeeBlock decode(long seq, byte[] raw) {
    Protobuf.Reader reader = new Protobuf.Reader(raw, 0, raw.length);
    byte[] index = null;
    byte[] key = null;
    byte[] value = null;
    while (reader.hasMore()) {
      long tag = reader.varint();
      int field = (int) (tag >>> 3);
      int wire = (int) (tag & 7);
      if (wire == Protobuf.WIRE_BYTES && field == 1) {
        index = reader.bytes();
      } else if (wire == Protobuf.WIRE_BYTES && field == 2) {
        key = reader.bytes();
      } else if (wire == Protobuf.WIRE_BYTES && field == 3) {
        value = reader.bytes();
      } else {
        reader.skip(wire);
      }
    }
    if (index == null || key == null) {
      throw BeeException.decoding("block " + seq + " lacks its index or key");
    }
    return new BeeBlock(seq, key, value, decodeIndex(index));
  }

  private static List<Level> decodeIndex(byte[] index) {
    List<Level> levels = new ArrayList<>();
    Protobuf.Reader reader = new Protobuf.Reader(index, 0, index.length);
    while (reader.hasMore()) {
      long tag = reader.varint();
      if (tag != (1 << 3 | Protobuf.WIRE_BYTES)) {
        reader.skip((int) (tag & 7));
        continue;
      }
      Protobuf.Reader level = reader.message();
      Protobuf.LongList keys = new Protobuf.LongList();
      Protobuf.LongList children = new Protobuf.LongList();
      while (level.hasMore()) {
        long t = level.varint();
        if (t == (1 << 3 | Protobuf.WIRE_BYTES)) {
          level.packed(keys);
        } else if (t == (2 << 3 | Protobuf.WIRE_BYTES)) {
          level.packed(children);
        } else {
          level.skip((int) (t & 7));
        }
      }
      long[] c = children.toArray();
      if (c.length % 2 != 0) {
        throw BeeException.decoding("child pointers come in (seq, offset) pairs");
      }
      levels.add(new Level(keys.toArray(), c));
    }
    return levels;
  }

  /** Whether a raw block is the hyperbee header (protocol "hyperbee"). */
  static boolean isHeader(byte[] raw) {
    Protobuf.Reader reader = new Protobuf.Reader(raw, 0, raw.length);
    try {
      while (reader.hasMore()) {
        long tag = reader.varint();
        if (tag == (1 << 3 | Protobuf.WIRE_BYTES)) {
          return "hyperbee".equals(new String(reader.bytes(), StandardCharsets.UTF_8));
        }
        reader.skip((int) (tag & 7));
      }
    } catch (BeeException e) {
      return false;
    }
    return false;
  }

  private static byte[] header() {
    Protobuf.Writer out = new Protobuf.Writer();
    Protobuf.bytesField(out, 1, "hyperbee".getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
