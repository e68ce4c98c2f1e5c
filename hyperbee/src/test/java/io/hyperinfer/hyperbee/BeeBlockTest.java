package io.hyperinfer.hyperbee;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class BeeBlockTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void shouldMatchJsBytesWhenEncodingTheGoldenSecondBlock() throws IOException {
    byte[] golden = GoldenBeeTest.goldenBlocks("v11").get(2);
    BeeBlock block = BeeBlock.decode(2, golden);
    assertEquals("key-0119", new String(block.key()));
    assertEquals(1, block.levels().size());
    assertArrayEquals(new long[] {1, 2}, block.levels().getFirst().keys());
    assertArrayEquals(golden, BeeBlock.encode(block.key(), block.value(), block.levels()));
    assertEquals("0a086879706572626565", HEX.formatHex(BeeBlock.HEADER));
  }

  @Test
  void shouldRoundTripEveryGoldenBlockWhenReencoded() throws IOException {
    List<byte[]> blocks = GoldenBeeTest.goldenBlocks("v11");
    for (int i = 1; i < blocks.size(); i++) {
      BeeBlock b = BeeBlock.decode(i, blocks.get(i));
      assertArrayEquals(blocks.get(i), BeeBlock.encode(b.key(), b.value(), b.levels()), "block " + i);
    }
  }

  @Test
  void shouldTellDeletionsFromEmptyValuesWhenDecoding() {
    BeeBlock.Level keeps = new BeeBlock.Level(new long[] {5}, new long[0]);
    BeeBlock empty = BeeBlock.decode(5, BeeBlock.encode(new byte[] {1}, new byte[0], List.of(keeps)));
    assertFalse(empty.isDeletion());
    assertEquals(0, empty.value().length);
    BeeBlock.Level drops = new BeeBlock.Level(new long[] {3}, new long[0]);
    BeeBlock deletion = BeeBlock.decode(5, BeeBlock.encode(new byte[] {1}, null, List.of(drops)));
    assertNull(deletion.value());
    assertTrue(deletion.isDeletion());
    BeeBlock stillThere = BeeBlock.decode(5, BeeBlock.encode(new byte[] {1}, null, List.of(keeps)));
    assertFalse(stillThere.isDeletion());
    assertThrows(BeeException.class, () -> deletion.level(1));
  }

  @Tag("fuzz")
  @Test
  void shouldThrowOnlyDecodingErrorsWhenGivenTruncatedOrRandomBytes() throws IOException {
    byte[] golden = GoldenBeeTest.goldenBlocks("v11").get(7);
    for (int n = 0; n < golden.length; n++) {
      byte[] prefix = Arrays.copyOf(golden, n);
      try {
        BeeBlock.decode(7, prefix);
      } catch (BeeException e) {
        assertEquals(BeeException.Code.DECODING_ERROR, e.code());
      }
    }
    SplittableRandom random = Seeds.random("BeeBlockTest.fuzz");
    int iterations = Seeds.fuzzIterations();
    for (int i = 0; i < iterations; i++) {
      byte[] input = random.nextInt(3) == 0 ? mutate(golden, random) : Seeds.bytes(random, random.nextInt(40));
      try {
        BeeBlock.decode(1, input);
        BeeBlock.isHeader(input);
      } catch (BeeException e) {
        assertEquals(BeeException.Code.DECODING_ERROR, e.code());
      }
    }
  }

  private static byte[] mutate(byte[] in, SplittableRandom random) {
    byte[] out = in.clone();
    out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    return out;
  }

  @Test
  void shouldRejectChildPointersWhenTheyPointForwardOrAtThemselves() {
    BeeBlock.Level self = new BeeBlock.Level(new long[] {4}, new long[] {4, 0, 3, 0});
    BeeBlock looping = BeeBlock.decode(4, BeeBlock.encode(new byte[] {1}, new byte[] {2}, List.of(self)));
    assertEquals(BeeException.Code.DECODING_ERROR,
        assertThrows(BeeException.class, () -> TreeNode.load(looping, 0)).code());
    BeeBlock.Level zero = new BeeBlock.Level(new long[] {4}, new long[] {3, 0, 0, 0});
    BeeBlock header = BeeBlock.decode(4, BeeBlock.encode(new byte[] {1}, new byte[] {2}, List.of(zero)));
    assertThrows(BeeException.class, () -> TreeNode.load(header, 0));
    BeeBlock.Level fine = new BeeBlock.Level(new long[] {4}, new long[] {3, 0, 4, 1});
    BeeBlock.Level leaf = new BeeBlock.Level(new long[] {2}, new long[0]);
    BeeBlock ok = BeeBlock.decode(4, BeeBlock.encode(new byte[] {1}, new byte[] {2}, List.of(fine, leaf)));
    assertEquals(2, TreeNode.load(ok, 0).children.size());
  }

  @Test
  void shouldFailWithDecodingErrorWhenBlocksPointAtEachOtherInACycle() {
    // block 2's root points at block 3's root and back: a lookup must end with an error, not spin
    BeeBlock two = BeeBlock.decode(2, BeeBlock.encode(new byte[] {5}, new byte[] {1},
        List.of(new BeeBlock.Level(new long[] {2}, new long[] {3, 0, 3, 0}))));
    BeeBlock three = BeeBlock.decode(3, BeeBlock.encode(new byte[] {6}, new byte[] {1},
        List.of(new BeeBlock.Level(new long[] {3}, new long[] {2, 0, 2, 0}))));
    BTree tree = new BTree(seq -> seq == 2 ? two : three, 4);
    BeeException e = assertThrows(BeeException.class, () -> tree.get(new byte[] {0}));
    assertEquals(BeeException.Code.DECODING_ERROR, e.code());
    assertThrows(BeeException.class, () -> tree.walk(new BTree.Bounds(null, true, null, true), false, k -> true));
  }

  @Test
  void shouldRecogniseHeaderOnlyWhenProtocolIsHyperbee() {
    assertTrue(BeeBlock.isHeader(BeeBlock.HEADER));
    assertFalse(BeeBlock.isHeader(HEX.parseHex("0a03616263")));
    assertFalse(BeeBlock.isHeader(new byte[] {(byte) 0x80}));
    assertFalse(BeeBlock.isHeader(HEX.parseHex("1000")));
    assertTrue(BeeBlock.isHeader(HEX.parseHex("10000a086879706572626565")));
  }
}
