package io.hyperinfer.protomux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.Compact;
import io.hyperinfer.testkit.Seeds;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class ProtomuxFuzzTest {
  private static final byte[][] SEEDS = {
      HexFormat.of().parseHex("0001010c70726f746f6d75782d727063208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c"),
      HexFormat.of().parseHex("00000103000178030001790000020301"),
      HexFormat.of().parseHex("010001046563686f0568656c6c6f"),
      HexFormat.of().parseHex("000301"),
      HexFormat.of().parseHex("000201"),
  };

  @Tag("fuzz")
  @Test
  void shouldFailOnlyWithTypedErrorsWhenFedHostileInput() {
    SplittableRandom random = Seeds.random("protomux-fuzz");
    int iterations = Seeds.fuzzIterations();
    int destroyed = 0;
    for (int i = 0; i < iterations; i++) {
      MemoryPipe pipe = new MemoryPipe();
      Channel channel = pipe.b.mux.createChannel("protomux-rpc", null, false, new RecordingListener());
      channel.addMessage(Compact.STRING, (value, ch) -> { });
      channel.open(null);
      pipe.b.mux.pair("protomux-rpc", null, (mux, protocol, id) -> mux.createChannel(protocol, id, false,
          new RecordingListener()).open(null));
      for (int k = 0; k < 3; k++) {
        pipe.b.mux.receive(input(random));
      }
      if (pipe.b.mux.isDestroyed()) {
        destroyed++;
        assertTrue(pipe.b.closedWith instanceof ProtomuxException, String.valueOf(pipe.b.closedWith));
      }
    }
    assertTrue(destroyed > 0);
  }

  private static byte[] input(SplittableRandom random) {
    if (random.nextBoolean()) {
      return Seeds.bytes(random, random.nextInt(48));
    }
    byte[] seed = SEEDS[random.nextInt(SEEDS.length)];
    byte[] copy = Arrays.copyOf(seed, random.nextInt(seed.length + 4));
    for (int k = random.nextInt(4); k >= 0 && copy.length > 0; k--) {
      copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
    }
    return copy;
  }
}
