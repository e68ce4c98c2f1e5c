package io.hyperinfer.udx.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.testkit.Vectors;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class UdxPacketTest {
  private static final String FIRST_DATA = "/captured/udx/first DATA packet client->server (remoteId=4223554475,"
      + " rwnd=4MiB, seq=0, ack=0; payload = secret-stream header frame + first data frame)";

  @Test
  void shouldReencodeEveryCapturedPacketWhenParsed() throws DecodeException {
    JsonNode udx = Vectors.protocol().at("/captured/udx");
    int count = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = udx.fields(); it.hasNext(); count++) {
      byte[] bytes = HexFormat.of().parseHex(it.next().getValue().asText());
      assertArrayEquals(bytes, UdxPacket.decode(bytes).encode());
    }
    assertEquals(4, count);
  }

  @Test
  void shouldReadCapturedFieldsWhenDecodingFirstData() throws DecodeException {
    UdxPacket p = UdxPacket.decode(Vectors.hex(FIRST_DATA));
    assertEquals(PacketType.DATA, p.type());
    assertEquals(4223554475L, Integer.toUnsignedLong(p.streamId()));
    assertEquals(4 << 20, p.rwnd());
    assertEquals(0, p.seq());
    assertEquals(81, p.payload().length);
  }

  @Test
  void shouldReadAckEndAndDestroyWhenDecodingCaptures() throws DecodeException {
    UdxPacket ack = UdxPacket.decode(Vectors.hex("/captured/udx/pure ACK server->client (type 0, remoteId=1609267766, seq=0, ack=1)"));
    assertEquals(0, ack.type());
    assertEquals(1609267766, ack.streamId());
    assertEquals(1, ack.ack());
    UdxPacket end = UdxPacket.decode(Vectors.hex("/captured/udx/END (type 2, seq=1, ack=1)"));
    assertEquals(PacketType.END, end.type());
    UdxPacket destroy = UdxPacket.decode(Vectors.hex("/captured/udx/DESTROY (type 16, seq=1, ack=2)"));
    assertEquals(PacketType.DESTROY, destroy.type());
    assertEquals(2, destroy.ack());
  }

  @Test
  void shouldThrowTruncatedWhenShorterThanHeaderOrOffset() {
    byte[] full = Vectors.hex(FIRST_DATA);
    for (int len = 0; len < UdxHeader.LENGTH; len++) {
      int n = len;
      DecodeException e = assertThrows(DecodeException.class, () -> UdxPacket.decode(full, 0, n));
      assertEquals(DecodeException.Reason.TRUNCATED, e.reason());
    }
    byte[] probe = UdxPacket.of(PacketType.DATA, 1, 2, 3, 4, new byte[10]).encode();
    probe[UdxHeader.DATA_OFFSET_OFFSET] = 32;
    DecodeException e = assertThrows(DecodeException.class, () -> UdxPacket.decode(probe));
    assertEquals(DecodeException.Reason.BAD_DATA_OFFSET, e.reason());
  }

  @Test
  void shouldSkipPaddingWhenDataOffsetSet() throws DecodeException {
    UdxPacket padded = new UdxPacket(PacketType.DATA, 7, 9, 1, 2, new byte[32], new byte[] {1, 2, 3});
    UdxPacket back = UdxPacket.decode(padded.encode());
    assertArrayEquals(new byte[] {1, 2, 3}, back.payload());
    assertEquals(padded, back);
  }

  @Test
  void shouldReadSackBlocksWhenPureAckCarriesThem() throws DecodeException {
    byte[] blocks = new byte[16];
    SackBlocks.write(blocks, 0, new int[] {5, 7, 9, 12}, 2);
    UdxPacket sack = UdxPacket.of(PacketType.SACK, 1, 2, 3, 4, blocks);
    assertArrayEquals(new int[] {5, 7, 9, 12}, UdxPacket.decode(sack.encode()).sackPairs());
    assertEquals(0, UdxPacket.of(PacketType.DATA, 1, 2, 3, 4, blocks).sackPairs().length);
  }

  @Test
  void shouldRejectNonUdxWhenMagicOrVersionDiffers() {
    byte[] bytes = UdxPacket.of(0, 1, 2, 3, 4, new byte[0]).encode();
    bytes[1] = 2;
    assertEquals(false, UdxHeader.isUdx(bytes, 0, bytes.length));
    DecodeException e = assertThrows(DecodeException.class, () -> UdxPacket.decode(bytes));
    assertEquals(DecodeException.Reason.NOT_UDX, e.reason());
  }

  @Tag("fuzz")
  @Test
  void shouldThrowOnlyDecodeExceptionWhenFuzzed() {
    SplittableRandom random = Seeds.random("UdxPacketTest.fuzz");
    byte[] seed = Vectors.hex(FIRST_DATA);
    int parsed = 0;
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      byte[] input = i % 2 == 0 ? mutate(seed, random) : Seeds.bytes(random, random.nextInt(80));
      if (random.nextBoolean() && input.length >= 2) {
        input[0] = UdxHeader.MAGIC;
        input[1] = UdxHeader.VERSION;
      }
      try {
        UdxPacket p = UdxPacket.decode(input);
        assertArrayEquals(input, p.encode());
        assertTrue(p.sackPairs().length <= 2 * SackBlocks.MAX_BLOCKS);
        parsed++;
      } catch (DecodeException expected) {
        // the only exception allowed out of the parser
      }
    }
    assertTrue(parsed > 0);
  }

  private static byte[] mutate(byte[] seed, SplittableRandom random) {
    byte[] out = java.util.Arrays.copyOf(seed, random.nextInt(seed.length + 1));
    for (int k = random.nextInt(4); k > 0 && out.length > 0; k--) {
      out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    }
    return out;
  }
}
