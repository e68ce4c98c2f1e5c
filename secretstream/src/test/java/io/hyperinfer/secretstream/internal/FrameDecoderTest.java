package io.hyperinfer.secretstream.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
  static byte[] frame(byte[] body) {
    byte[] out = new byte[3 + body.length];
    out[0] = (byte) body.length;
    out[1] = (byte) (body.length >>> 8);
    out[2] = (byte) (body.length >>> 16);
    System.arraycopy(body, 0, out, 3, body.length);
    return out;
  }

  @Test
  void shouldReassembleFramesWhenReadsSplitAnywhere() {
    SplittableRandom random = Seeds.random("FrameDecoderTest.split");
    for (int round = 0; round < 200; round++) {
      List<byte[]> sent = new ArrayList<>();
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      for (int i = random.nextInt(1, 20); i > 0; i--) {
        int size = random.nextInt(10) == 0 ? random.nextInt(70_000) : random.nextInt(300);
        byte[] body = Seeds.bytes(random, size);
        sent.add(body);
        wire.writeBytes(frame(body));
      }
      byte[] bytes = wire.toByteArray();
      List<byte[]> received = new ArrayList<>();
      FrameDecoder decoder = new FrameDecoder();
      for (int offset = 0; offset < bytes.length; ) {
        int chunk = Math.min(bytes.length - offset, 1 + random.nextInt(random.nextBoolean() ? 8 : 9000));
        decoder.feed(bytes, offset, chunk, (b, o, l) -> received.add(Arrays.copyOfRange(b, o, o + l)));
        offset += chunk;
      }
      assertEquals(sent.size(), received.size());
      for (int i = 0; i < sent.size(); i++) {
        assertArrayEquals(sent.get(i), received.get(i));
      }
      assertTrue(decoder.isIdle());
    }
  }

  @Test
  void shouldWaitWithoutBigAllocationWhenOnlyLengthOfHugeFrameArrived() {
    FrameDecoder decoder = new FrameDecoder();
    List<Integer> lengths = new ArrayList<>();
    decoder.feed(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2}, 0, 5, (b, o, l) -> lengths.add(l));
    assertFalse(decoder.isIdle());
    assertTrue(lengths.isEmpty());
  }

  @Test
  void shouldEmitEmptyFrameWhenLengthIsZero() {
    FrameDecoder decoder = new FrameDecoder();
    List<Integer> lengths = new ArrayList<>();
    decoder.feed(new byte[] {0, 0, 0, 1, 0, 0, 9}, 0, 7, (b, o, l) -> lengths.add(l));
    assertEquals(List.of(0, 1), lengths);
  }

  @Test
  void shouldRefuseFrameAtItsLengthPrefixWhenLongerThanLimit() {
    FrameDecoder decoder = new FrameDecoder();
    decoder.limit(10, io.hyperinfer.secretstream.SecretStreamException.Code.INVALID_HEADER);
    List<byte[]> received = new ArrayList<>();
    byte[] ok = frame(new byte[10]);
    decoder.feed(ok, 0, ok.length, (b, o, l) -> received.add(Arrays.copyOfRange(b, o, o + l)));
    assertEquals(1, received.size());
    byte[] prefix = {11, 0};
    decoder.feed(prefix, 0, 2, (b, o, l) -> received.add(b));
    var e = org.junit.jupiter.api.Assertions.assertThrows(io.hyperinfer.secretstream.SecretStreamException.class,
        () -> decoder.feed(new byte[] {0}, 0, 1, (b, o, l) -> received.add(b)));
    assertEquals(io.hyperinfer.secretstream.SecretStreamException.Code.INVALID_HEADER, e.code());
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> decoder.limit(-1, io.hyperinfer.secretstream.SecretStreamException.Code.INVALID_HEADER));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> decoder.limit(FrameDecoder.MAX_FRAME + 1, io.hyperinfer.secretstream.SecretStreamException.Code.INVALID_HEADER));
  }
}
