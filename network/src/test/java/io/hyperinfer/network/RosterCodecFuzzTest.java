package io.hyperinfer.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.hyperinfer.testkit.Seeds;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes for the signed-roster decoder ({@code fuzz.iterations} cases, 100k by default): half random, half
 * mutated valid encodings. Decoding either returns a roster that re-encodes to exactly the input (the encoding is
 * canonical) or throws {@link NetworkException} BAD_ROSTER; anything else is a bug. Forged signatures decode (the
 * decoder checks shape only) and never verify.
 */
class RosterCodecFuzzTest {
  @Tag("fuzz")
  @Test
  void shouldOnlyFailWithBadRosterWhenTheDecoderIsFuzzed() {
    SplittableRandom random = Seeds.random("RosterCodecFuzzTest");
    NetworkKey network = NetworkKey.fromSeed(Seeds.bytes(random, 32));
    byte[][] valid = new byte[64][];
    for (int v = 0; v < valid.length; v++) {
      valid[v] = network.sign(RandomRosters.roster(random, network.hex(), 6)).encode();
    }
    int accepted = 0;
    int verified = 0;
    for (int i = 0, n = Seeds.fuzzIterations(); i < n; i++) {
      byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(400)) : mutate(valid[random.nextInt(64)], random);
      SignedRoster decoded;
      try {
        decoded = SignedRoster.decode(input);
      } catch (NetworkException e) {
        if (e.code() != NetworkException.Code.BAD_ROSTER) {
          fail("unexpected " + e + " on " + HexFormat.of().formatHex(input));
        }
        continue;
      } catch (RuntimeException e) {
        fail("threw " + e + " on " + HexFormat.of().formatHex(input));
        return;
      }
      accepted++;
      assertArrayEquals(input, decoded.encode(), "non-canonical input accepted");
      if (decoded.verify(network.hex())) {
        verified++;
        assertTrue(Arrays.stream(valid).anyMatch(v -> Arrays.equals(v, input)), "a mutated roster verified");
      }
    }
    assertTrue(accepted > 0, "no fuzz case reached the success path");
    assertTrue(verified > 0, "no unmutated case was drawn");
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    int cut = random.nextInt(8) == 0 ? random.nextInt(valid.length + 1) : valid.length;
    byte[] copy = Arrays.copyOf(valid, cut + (random.nextInt(8) == 0 ? random.nextInt(3) : 0));
    for (int k = random.nextInt(3); k > 0 && copy.length > 0; k--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }
}
