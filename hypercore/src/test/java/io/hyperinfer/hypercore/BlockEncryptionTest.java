package io.hyperinfer.hypercore;

import static io.hyperinfer.hypercore.HypercoreTest.b;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockEncryptionTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  private static byte[] key() {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) 3);
    return key;
  }

  @Test
  void shouldMatchJsEncryptedCoreWhenUsingTheSameKeys() {
    // printed by hypercore 11.37.1: keyPair(07 x 32), encryption: { key: 03 x 32 }, append(['hello', 'secret block two'])
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore plain = store.open(GoldenCoreTest.goldenKeyPair());
        Hypercore core = plain.encrypted(key())) {
      core.append(b("hello"), b("secret block two"));
      assertEquals("5e0f368999", HEX.formatHex(Arrays.copyOfRange(core.getRaw(0), 8, 13)));
      assertEquals("3e3276b5098373d3e37b29a24cbbcf45",
          HEX.formatHex(Arrays.copyOfRange(core.getRaw(1), 8, 24)));
      assertEquals("c246dc9096cdfed378517bde6325e9817d8321329b703fb528c32a282049452e", HEX.formatHex(core.treeHash()));
      assertEquals("0100cadb434965bf873921b6a81921f920a52acf18e074138b54ed3484bc2691a8a884628d291daf27c82f745af7803c"
          + "751206c68e616ba8c236d487be4080dadd0d0000", HEX.formatHex(core.signature()));
      assertArrayEquals(b("hello"), core.get(0));
      assertArrayEquals(b("secret block two"), core.session().get(1));
      assertEquals(13, plain.get(0).length);
    }
  }

  @Test
  void shouldRoundTripAcrossForksWhenTruncatedAndRewritten() {
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore core = store.open(GoldenCoreTest.goldenKeyPair()).encrypted(key())) {
      core.append(b("a"), b("b"));
      core.truncate(1);
      core.append(b("c"));
      assertArrayEquals(b("c"), core.get(1));
      assertArrayEquals(b("a"), core.snapshot().get(0));
      BlockEncryption enc = BlockEncryption.of(key(), core.key());
      assertThrows(HypercoreException.class, () -> enc.decrypt(0, new byte[7]));
      assertThrows(HypercoreException.class, () -> BlockEncryption.of(new byte[31], core.key()));
    }
  }
}
