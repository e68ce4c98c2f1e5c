package io.hyperinfer.udx.wire;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Flyweight over the 20-byte UDX header at the start of a datagram. All integers are little-endian.
 *
 * <pre>
 *  0               1               2               3
 *  0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 * +---------------+---------------+---------------+---------------+
 * |  magic 0xFF   |  version 1    |  type flags   |  data offset  |
 * +---------------+---------------+---------------+---------------+
 * |              receiver's stream id (u32 LE)                    |
 * +---------------------------------------------------------------+
 * |              receive window in bytes (u32 LE)                 |
 * +---------------------------------------------------------------+
 * |              seq (u32 LE, counts packets)                     |
 * +---------------------------------------------------------------+
 * |              ack (u32 LE, next seq expected)                  |
 * +---------------------------------------------------------------+
 * |  data offset bytes (SACK blocks or probe padding) | payload ...
 * </pre>
 *
 * <p>Not thread-safe: confined to the socket loop that received the datagram; never keep one past the callback.
 */
public final class UdxHeader {
  public static final int MAGIC_OFFSET = 0;
  public static final int VERSION_OFFSET = 1;
  public static final int TYPE_OFFSET = 2;
  public static final int DATA_OFFSET_OFFSET = 3;
  public static final int ID_OFFSET = 4;
  public static final int RWND_OFFSET = 8;
  public static final int SEQ_OFFSET = 12;
  public static final int ACK_OFFSET = 16;
  public static final int LENGTH = 20;
  public static final byte MAGIC = (byte) 0xFF;
  public static final byte VERSION = 1;

  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buffer = new byte[0];
  private int offset;
  private int length;

  /** Whether the datagram starts like a UDX packet (magic, version, full header); anything else is not UDX. */
  public static boolean isUdx(byte[] buf, int off, int len) {
    return len >= LENGTH && buf[off + MAGIC_OFFSET] == MAGIC && buf[off + VERSION_OFFSET] == VERSION;
  }

  /** Points this flyweight at a datagram, checking the header and the data offset against its length. */
  public UdxHeader wrap(byte[] buf, int off, int len) throws DecodeException {
    if (len < LENGTH) {
      throw new DecodeException(DecodeException.Reason.TRUNCATED, "udx packet shorter than its header: " + len);
    }
    if (buf[off + MAGIC_OFFSET] != MAGIC || buf[off + VERSION_OFFSET] != VERSION) {
      throw new DecodeException(DecodeException.Reason.NOT_UDX, "not a udx v1 packet");
    }
    int dataOffset = buf[off + DATA_OFFSET_OFFSET] & 0xFF;
    if (dataOffset > len - LENGTH) {
      throw new DecodeException(DecodeException.Reason.BAD_DATA_OFFSET, "data offset past the packet end");
    }
    this.buffer = buf;
    this.offset = off;
    this.length = len;
    return this;
  }

  public int type() {
    return buffer[offset + TYPE_OFFSET] & 0xFF;
  }

  public int dataOffset() {
    return buffer[offset + DATA_OFFSET_OFFSET] & 0xFF;
  }

  public int streamId() {
    return (int) INT_LE.get(buffer, offset + ID_OFFSET);
  }

  public int rwnd() {
    return (int) INT_LE.get(buffer, offset + RWND_OFFSET);
  }

  public int seq() {
    return (int) INT_LE.get(buffer, offset + SEQ_OFFSET);
  }

  public int ack() {
    return (int) INT_LE.get(buffer, offset + ACK_OFFSET);
  }

  public byte[] buffer() {
    return buffer;
  }

  /** Index of the first payload byte, after the header and the data-offset area. */
  public int payloadIndex() {
    return offset + LENGTH + dataOffset();
  }

  public int payloadLength() {
    return length - LENGTH - dataOffset();
  }

  /** A copy of the payload (after the data-offset area). */
  public byte[] copyPayload() {
    byte[] out = new byte[payloadLength()];
    System.arraycopy(buffer, payloadIndex(), out, 0, out.length);
    return out;
  }

  /**
   * How many SACK blocks the packet holds: the data-offset area when it is shorter than the rest, else everything
   * after the header (libudx sends SACK on pure acks with offset 0). Zero without the SACK flag.
   */
  public int sackBlockCount() {
    if ((type() & PacketType.SACK) == 0) {
      return 0;
    }
    int afterHeader = length - LENGTH;
    int off = dataOffset();
    int area = off > 0 && off < afterHeader ? off : afterHeader;
    return area / SackBlocks.BLOCK_LENGTH;
  }

  public int sackStart(int block) {
    return (int) INT_LE.get(buffer, offset + LENGTH + block * SackBlocks.BLOCK_LENGTH);
  }

  public int sackEnd(int block) {
    return (int) INT_LE.get(buffer, offset + LENGTH + block * SackBlocks.BLOCK_LENGTH + 4);
  }

  /** Overwrites the receiver id in place (relaying forwards a packet unchanged except for this field). */
  public void streamId(int id) {
    INT_LE.set(buffer, offset + ID_OFFSET, id);
  }

  /** Writes a header with no data offset at {@code off}. */
  public static void write(byte[] buf, int off, int type, int dataOffset, int id, int rwnd, int seq, int ack) {
    buf[off + MAGIC_OFFSET] = MAGIC;
    buf[off + VERSION_OFFSET] = VERSION;
    buf[off + TYPE_OFFSET] = (byte) type;
    buf[off + DATA_OFFSET_OFFSET] = (byte) dataOffset;
    INT_LE.set(buf, off + ID_OFFSET, id);
    INT_LE.set(buf, off + RWND_OFFSET, rwnd);
    INT_LE.set(buf, off + SEQ_OFFSET, seq);
    INT_LE.set(buf, off + ACK_OFFSET, ack);
  }

  static void putIntLe(byte[] buf, int off, int value) {
    INT_LE.set(buf, off, value);
  }
}
