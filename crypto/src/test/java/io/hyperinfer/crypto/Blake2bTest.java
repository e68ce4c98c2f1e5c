package io.hyperinfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Blake2bTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void shouldMatchPublishedDigestWhenInputIsEmpty() {
    assertEquals("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8",
        HEX.formatHex(Blake2b.hash(new byte[0])));
  }

  @Test
  void shouldMatchHyperdhtNamespaceWhenHashingTopicName() {
    // vectors.json ns: BLAKE2b256("hyperswarm/dht")
    assertEquals("d70d90f7efc42f93e1ad5837e682a6010cf551013c2d2d043f40d8fbe07dcb90",
        HEX.formatHex(Blake2b.topic("hyperswarm/dht")));
  }

  @Test
  void shouldMatchHyperdhtTargetWhenHashingPublicKey() {
    // vectors.json keys: hash(pk seed01) = announce/connect target
    byte[] pk = HEX.parseHex("8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c");
    assertEquals("c5e21ab1c9f6022d81c3b25e3436cb7f1df77f9652ae3e1310c28e621dd87b4c", HEX.formatHex(Blake2b.hash(pk)));
  }

  @Test
  void shouldEqualPlainHashWhenBatchingSplitInput() {
    byte[] whole = "hello, hyperswarm".getBytes(StandardCharsets.UTF_8);
    byte[][] parts = {"hello".getBytes(StandardCharsets.UTF_8), new byte[0], ", hyperswarm".getBytes(StandardCharsets.UTF_8)};
    assertArrayEquals(Blake2b.hash(whole), Blake2b.batch(parts));
  }

  @Test
  void shouldDifferWhenKeyed() {
    byte[] in = {1, 2, 3};
    byte[] keyed = Blake2b.hash(in, new byte[32], 32);
    assertNotEquals(HEX.formatHex(Blake2b.hash(in)), HEX.formatHex(keyed));
    assertArrayEquals(keyed, Blake2b.batch(new byte[][] {in}, new byte[32], 32));
  }

  @Test
  void shouldRejectOutputLengthWhenOutOfRange() {
    var e = assertThrows(CryptoException.class, () -> Blake2b.hash(new byte[1], null, 65));
    assertEquals(CryptoException.Code.BAD_ARGUMENT, e.code());
    assertThrows(CryptoException.class, () -> Blake2b.hash(new byte[1], null, 15));
    assertThrows(CryptoException.class, () -> Blake2b.hash(new byte[1], new byte[65], 32));
  }
}
