package io.hyperinfer.secretstream.internal;

import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.secretstream.SecretStreamException.Code;
import java.util.Arrays;

/**
 * Splits a byte stream into secret-stream frames: a uint24 little-endian length, then that many bytes. Input may
 * cut frames anywhere or hold several. A frame wholly inside one input is handed out as a slice without copying;
 * a split frame is assembled in a buffer that grows with the bytes actually received, so a large length prefix
 * alone allocates nothing big. A {@link #limit} refuses a longer frame as soon as its length prefix is complete,
 * before any of its body is buffered. Not thread-safe: confined to the stream's reader.
 */
public final class FrameDecoder {
  /** The largest frame body a uint24 can announce. */
  public static final int MAX_FRAME = (1 << 24) - 1;
  private static final int INITIAL_ASSEMBLY = 4096;

  /** Receives each complete frame; the bytes are valid only during the call. */
  @FunctionalInterface
  public interface FrameSink {
    void frame(byte[] buffer, int offset, int length);
  }

  private int limit = MAX_FRAME;
  private Code overLimit = Code.INVALID_MESSAGE;
  private int lengthBytesSeen;
  private int length;
  private byte[] assembly;
  private int assembled;

  /** Feeds {@code data[offset .. offset+count)}; calls {@code sink} once per completed frame, in order. */
  public void feed(byte[] data, int offset, int count, FrameSink sink) {
    int end = offset + count;
    int i = offset;
    while (i < end) {
      if (lengthBytesSeen < 3) {
        length |= (data[i++] & 0xff) << (8 * lengthBytesSeen++);
        if (lengthBytesSeen == 3 && length > limit) {
          throw new SecretStreamException(overLimit, "frame of " + length + " bytes exceeds the limit of " + limit);
        }
        if (lengthBytesSeen == 3 && length == 0) {
          complete(sink, data, i, 0);
        }
        continue;
      }
      int missing = length - assembled;
      int available = end - i;
      if (assembled == 0 && available >= missing) {
        int frameLength = length;
        i += frameLength;
        complete(sink, data, i - frameLength, frameLength);
        continue;
      }
      int take = Math.min(missing, available);
      ensureCapacity(assembled + take);
      System.arraycopy(data, i, assembly, assembled, take);
      assembled += take;
      i += take;
      if (assembled == length) {
        complete(sink, assembly, 0, length);
      }
    }
  }

  /**
   * From the next length prefix on, a frame longer than {@code maxFrame} bytes fails {@link #feed} with a
   * {@link SecretStreamException} of {@code code} before any of its body is buffered.
   */
  public void limit(int maxFrame, Code code) {
    if (maxFrame < 0 || maxFrame > MAX_FRAME) {
      throw new IllegalArgumentException("frame limit must be within 0.." + MAX_FRAME + ": " + maxFrame);
    }
    this.limit = maxFrame;
    this.overLimit = code;
  }

  /** Whether the decoder is between frames (no partial length or body buffered). */
  public boolean isIdle() {
    return lengthBytesSeen == 0;
  }

  private void ensureCapacity(int needed) {
    if (assembly == null) {
      assembly = new byte[Math.min(length, Math.max(INITIAL_ASSEMBLY, needed))];
    } else if (assembly.length < needed) {
      assembly = Arrays.copyOf(assembly, (int) Math.min(length, Math.max((long) assembly.length * 2, needed)));
    }
  }

  private void complete(FrameSink sink, byte[] buffer, int offset, int frameLength) {
    lengthBytesSeen = 0;
    length = 0;
    assembled = 0;
    assembly = null;
    sink.frame(buffer, offset, frameLength);
  }
}
