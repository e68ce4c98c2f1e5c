package io.hyperinfer.hyperdht.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.testkit.Seeds;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The blind-relay messages against bytes the pinned {@code blind-relay} 1.6.1 encodes ({@code c.encode(messages.pair,
 * ...)} run on {@code interop/node_modules}), and both decoders under seeded hostile input.
 */
class RelayMessagesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] TOKEN = filled(0xab);
  private static final String AB = "ab".repeat(32);

  private static byte[] filled(int b) {
    byte[] t = new byte[32];
    Arrays.fill(t, (byte) b);
    return t;
  }

  @Test
  void shouldEncodePairLikeJsWhenInitiating() {
    assertEquals("01" + AB + "0700", HEX.formatHex(Compact.encode(RelayPair.CODEC, new RelayPair(true, TOKEN, 7, 0))));
  }

  @Test
  void shouldEncodePairLikeJsWhenTheIdIsTheLargestUint32() {
    assertEquals("00" + AB + "feffffffff" + "fd2c01",
        HEX.formatHex(Compact.encode(RelayPair.CODEC, new RelayPair(false, TOKEN, 0xFFFF_FFFFL, 300))));
  }

  @Test
  void shouldEncodeUnpairLikeJs() {
    assertEquals("00" + AB, HEX.formatHex(Compact.encode(RelayUnpair.CODEC, new RelayUnpair(TOKEN))));
  }

  @Test
  void shouldDecodeAWideFlagsFieldLikeJsWhenANewerPeerSendsOne() {
    RelayPair p = RelayPair.CODEC.decode(Buf.wrap(HEX.parseHex("fd0100" + AB + "0500")));

    assertTrue(p.initiator());
    assertArrayEquals(TOKEN, p.token());
    assertEquals(5, p.id());
  }

  @Test
  void shouldRejectAStreamIdAboveUint32WhenDecoding() {
    byte[] bytes = HEX.parseHex("01" + AB + "ff0000000001000000" + "00");

    assertThrows(DecodeException.class, () -> RelayPair.CODEC.decode(Buf.wrap(bytes)));
  }

  @Test
  void shouldRejectBadTokensAndIdsWhenConstructed() {
    assertThrows(IllegalArgumentException.class, () -> new RelayPair(true, new byte[31], 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new RelayPair(true, TOKEN, -1, 0));
    assertThrows(IllegalArgumentException.class, () -> new RelayPair(true, TOKEN, 1L << 32, 0));
    assertThrows(IllegalArgumentException.class, () -> new RelayPair(true, TOKEN, 1, -1));
    assertThrows(IllegalArgumentException.class, () -> new RelayUnpair(null));
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyThrowDecodeExceptionWhenThePairDecoderIsFuzzed() {
    SplittableRandom random = Seeds.random("RelayMessagesTest.pair");
    fuzz(RelayPair.CODEC, random, () -> new RelayPair(random.nextBoolean(), Seeds.bytes(random, 32),
        random.nextLong(1L << 32), random.nextInt(3) == 0 ? random.nextLong(1L << 40) : 0));
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyThrowDecodeExceptionWhenTheUnpairDecoderIsFuzzed() {
    SplittableRandom random = Seeds.random("RelayMessagesTest.unpair");
    fuzz(RelayUnpair.CODEC, random, () -> new RelayUnpair(Seeds.bytes(random, 32)));
  }

  /** Random bytes and mutated valid encodings; whatever decodes must re-encode to bytes that decode the same. */
  private static <T> void fuzz(Codec<T> codec, SplittableRandom random, java.util.function.Supplier<T> valid) {
    int accepted = 0;
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(60)) : mutate(Compact.encode(codec,
          valid.get()), random);
      T decoded;
      try {
        decoded = codec.decode(Buf.wrap(input));
      } catch (DecodeException expected) {
        continue;
      } catch (RuntimeException e) {
        fail("threw " + e + " on " + HEX.formatHex(input));
        return;
      }
      accepted++;
      byte[] again = Compact.encode(codec, decoded);
      assertArrayEquals(again, Compact.encode(codec, codec.decode(Buf.wrap(again))));
    }
    assertTrue(accepted > 0, "no fuzz case decoded: the mutations never reach the success path");
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] copy = Arrays.copyOf(valid, random.nextInt(valid.length + 1) + random.nextInt(3));
    for (int k = random.nextInt(3); k >= 0 && copy.length > 0; k--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }
}
