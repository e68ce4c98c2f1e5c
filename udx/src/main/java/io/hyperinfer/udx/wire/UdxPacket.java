package io.hyperinfer.udx.wire;

import java.util.Arrays;

/**
 * A decoded UDX packet as a value, for crossing threads and for tests. The receive path uses {@link UdxHeader}
 * instead. {@code extension} is the data-offset area (SACK blocks or probe padding) and is kept so a packet
 * re-encodes byte for byte.
 */
public record UdxPacket(int type, int streamId, int rwnd, int seq, int ack, byte[] extension, byte[] payload) {
  public static final int MAX_EXTENSION = 255;

  public UdxPacket {
    if (type < 0 || type > 0xFF) {
      throw new IllegalArgumentException("type must fit a byte: " + type);
    }
    if (extension.length > MAX_EXTENSION) {
      throw new IllegalArgumentException("data offset area longer than 255 bytes: " + extension.length);
    }
    extension = extension.clone();
    payload = payload.clone();
  }

  /** A packet with no data-offset area. */
  public static UdxPacket of(int type, int streamId, int rwnd, int seq, int ack, byte[] payload) {
    return new UdxPacket(type, streamId, rwnd, seq, ack, new byte[0], payload);
  }

  /** Parses a whole datagram; throws only {@link DecodeException}. */
  public static UdxPacket decode(byte[] datagram) throws DecodeException {
    return decode(datagram, 0, datagram.length);
  }

  public static UdxPacket decode(byte[] buf, int off, int len) throws DecodeException {
    UdxHeader h = new UdxHeader().wrap(buf, off, len);
    int extStart = off + UdxHeader.LENGTH;
    byte[] ext = Arrays.copyOfRange(buf, extStart, extStart + h.dataOffset());
    byte[] payload = Arrays.copyOfRange(buf, h.payloadIndex(), h.payloadIndex() + h.payloadLength());
    return new UdxPacket(h.type(), h.streamId(), h.rwnd(), h.seq(), h.ack(), ext, payload);
  }

  public int encodedLength() {
    return UdxHeader.LENGTH + extension.length + payload.length;
  }

  public byte[] encode() {
    byte[] out = new byte[encodedLength()];
    UdxHeader.write(out, 0, type, extension.length, streamId, rwnd, seq, ack);
    System.arraycopy(extension, 0, out, UdxHeader.LENGTH, extension.length);
    System.arraycopy(payload, 0, out, UdxHeader.LENGTH + extension.length, payload.length);
    return out;
  }

  @Override
  public byte[] extension() {
    return extension.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** SACK blocks as (start, end) pairs, read by the same rule as the receive path, at most {@link SackBlocks#MAX_BLOCKS}. */
  public int[] sackPairs() {
    byte[] datagram = encode();
    try {
      UdxHeader h = new UdxHeader().wrap(datagram, 0, datagram.length);
      int n = Math.min(h.sackBlockCount(), SackBlocks.MAX_BLOCKS);
      int[] pairs = new int[n * 2];
      for (int i = 0; i < n; i++) {
        pairs[2 * i] = h.sackStart(i);
        pairs[2 * i + 1] = h.sackEnd(i);
      }
      return pairs;
    } catch (DecodeException e) {
      throw new IllegalStateException("an encoded packet always parses", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UdxPacket p && type == p.type && streamId == p.streamId && rwnd == p.rwnd && seq == p.seq
        && ack == p.ack && Arrays.equals(extension, p.extension) && Arrays.equals(payload, p.payload);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(payload) + seq;
  }

  @Override
  public String toString() {
    return "UdxPacket[type=" + type + ", id=" + Integer.toUnsignedString(streamId) + ", rwnd=" + rwnd + ", seq=" + seq
        + ", ack=" + ack + ", ext=" + extension.length + ", payload=" + payload.length + "]";
  }
}
