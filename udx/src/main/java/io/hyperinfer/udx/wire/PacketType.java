package io.hyperinfer.udx.wire;

/** The type-flag bits of byte 2 of a UDX header (libudx {@code UDX_HEADER_*}). A packet with no bits is a pure ACK. */
public final class PacketType {
  public static final int DATA = 0x01;
  public static final int END = 0x02;
  public static final int SACK = 0x04;
  public static final int MESSAGE = 0x08;
  public static final int DESTROY = 0x10;
  public static final int HEARTBEAT = 0x20;
  /** DATA and END each consume one sequence number. */
  public static final int DATA_OR_END = DATA | END;

  private PacketType() {}

  /** Whether a packet of this type takes a sequence number and must be acked. */
  public static boolean consumesSeq(int type) {
    return (type & DATA_OR_END) != 0;
  }
}
