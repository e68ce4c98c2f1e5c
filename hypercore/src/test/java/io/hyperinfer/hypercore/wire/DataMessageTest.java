package io.hyperinfer.hypercore.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import io.hyperinfer.hypercore.Manifest;
import io.hyperinfer.hypercore.Proof;
import io.hyperinfer.testkit.Seeds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataMessageTest {
  @TempDir Path dir;

  /** wire.data encoded by hypercore 11.37.1 for the golden core: block 5 with an upgrade from 0 to 1000, request 7. */
  private static byte[] golden() throws IOException {
    try (InputStream in = DataMessageTest.class.getResourceAsStream("/vectors/data-golden-block5-upgrade1000.hex")) {
      return HexFormat.of().parseHex(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
    }
  }

  private Hypercore goldenCore(HypercoreStore store) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    Hypercore core = store.open(Ed25519.fromSeed(seed));
    for (int i = 0; i < 1000; i++) {
      core.append(("block-" + i + "-" + "x".repeat(i % 37)).getBytes(StandardCharsets.UTF_8));
    }
    return core;
  }

  @Test
  void shouldEncodeTheSameBytesAsJsWhenProvingTheGoldenCore() throws IOException {
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = goldenCore(store)) {
      byte[] mine = Compact.encode(DataMessage.CODEC, new DataMessage(7, core.proof(5, 0)));
      assertArrayEquals(golden(), mine);
    }
  }

  @Test
  void shouldVerifyInAReplicaWhenDecodedFromJsBytes() throws IOException {
    DataMessage message = Compact.decode(DataMessage.CODEC, golden());
    assertEquals(7, message.request());
    Proof proof = message.proof();
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore replica = store.open(Manifest.of(Ed25519.fromSeed(seed).publicKey()),
            HypercoreStore.OnCorruption.FAIL)) {
      replica.verify(proof);
      assertEquals(1000, replica.length());
      assertArrayEquals("block-5-xxxxx".getBytes(StandardCharsets.UTF_8), replica.get(5));
      assertArrayEquals(golden(), Compact.encode(DataMessage.CODEC, message));
    }
  }

  @Test
  void shouldThrowDecodeExceptionWhenTruncatedOrUnsupported() throws IOException {
    byte[] golden = golden();
    for (int n = 0; n < golden.length; n++) {
      byte[] prefix = Arrays.copyOf(golden, n);
      assertThrows(DecodeException.class, () -> Compact.decode(DataMessage.CODEC, prefix), "prefix " + n);
    }
    for (int flag : new int[] {0, 2, 4, 16}) {
      byte[] other = golden.clone();
      other[0] = (byte) flag;
      assertThrows(DecodeException.class, () -> Compact.decode(DataMessage.CODEC, other));
    }
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyThrowDecodeExceptionWhenFuzzed() throws IOException {
    byte[] golden = golden();
    SplittableRandom random = Seeds.random("DataMessageTest.fuzz");
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      byte[] input = golden.clone();
      input[random.nextInt(Math.min(input.length, 200))] = (byte) random.nextInt(256);
      if (random.nextBoolean()) {
        input = Arrays.copyOf(input, random.nextInt(input.length));
      }
      try {
        Compact.decode(DataMessage.CODEC, input);
      } catch (DecodeException e) {
        // the only acceptable failure
      }
    }
  }
}
