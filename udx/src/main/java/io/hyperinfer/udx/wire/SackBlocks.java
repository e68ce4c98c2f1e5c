package io.hyperinfer.udx.wire;

/** Layout and limits of SACK blocks: {@code {start u32le, end u32le exclusive}} pairs after the header. */
public final class SackBlocks {
  public static final int BLOCK_LENGTH = 8;
  /** libudx never sends more than this many; the receiver processes no more, bounding SACK work per packet. */
  public static final int MAX_BLOCKS = 50;

  private SackBlocks() {}

  /** Writes {@code count} blocks from {@code pairs} (start, end, start, end ...) at {@code off}. */
  public static void write(byte[] buf, int off, int[] pairs, int count) {
    for (int i = 0; i < count * 2; i++) {
      UdxHeader.putIntLe(buf, off + i * 4, pairs[i]);
    }
  }
}
