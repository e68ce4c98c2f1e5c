package io.hyperinfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.testkit.Vectors;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Edwards DH, ChaCha20-Poly1305, secretbox and secretstream against the JS vectors and their failure modes. */
class SymmetricCiphersTest {
  private static final HexFormat HEX = HexFormat.of();

  private static KeyPair seeded(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return Ed25519.fromSeed(seed);
  }

  @Test
  void shouldMatchJsWhenComputingEdwardsDhBothWays() {
    byte[] expected = Vectors.hex("/dh/dh(pk seed02, kp seed01)");
    assertArrayEquals(expected, EdwardsDh.dh(seeded(2).publicKey(), seeded(1)));
    assertArrayEquals(expected, EdwardsDh.dh(seeded(1).publicKey(), seeded(2)));
  }

  @Test
  void shouldFailDhWhenRemoteKeyIsSmallOrderOrWrongSize() {
    byte[] identity = new byte[32];
    identity[0] = 1;
    assertEquals(CryptoException.Code.DH_FAILED,
        assertThrows(CryptoException.class, () -> EdwardsDh.dh(identity, seeded(1))).code());
    assertEquals(CryptoException.Code.BAD_ARGUMENT,
        assertThrows(CryptoException.class, () -> EdwardsDh.dh(new byte[31], seeded(1))).code());
  }

  @Test
  void shouldMatchRfc8439WhenSealingWithChaCha20Poly1305() {
    byte[] key = HEX.parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    byte[] nonce = HEX.parseHex("070000004041424344454647");
    byte[] ad = HEX.parseHex("50515253c0c1c2c3c4c5c6c7");
    byte[] plain = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future,"
        + " sunscreen would be it.").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] sealed = ChaCha20Poly1305.encrypt(key, nonce, ad, plain);
    assertEquals("1ae10b594f09e26a7e902ecbd0600691", HEX.formatHex(sealed, sealed.length - 16, sealed.length));
    assertEquals("d31a8d34648e60db7b86afbc53ef7ec2", HEX.formatHex(sealed, 0, 16));
    assertArrayEquals(plain, ChaCha20Poly1305.decrypt(key, nonce, ad, sealed));
    sealed[3] ^= 1;
    assertEquals(CryptoException.Code.DECRYPT_FAILED,
        assertThrows(CryptoException.class, () -> ChaCha20Poly1305.decrypt(key, nonce, ad, sealed)).code());
    assertThrows(CryptoException.class, () -> ChaCha20Poly1305.decrypt(key, nonce, ad, new byte[15]));
    assertThrows(CryptoException.class, () -> ChaCha20Poly1305.encrypt(new byte[31], nonce, ad, plain));
  }

  @Test
  void shouldMatchJsWhenSealingSecretBox() {
    byte[] key = Vectors.hex("/secretbox/key");
    byte[] nonce = Vectors.hex("/secretbox/nonce");
    byte[] wire = Vectors.hex("/secretbox/wire = nonce||box");
    byte[] box = SecretBox.easy(Vectors.hex("/secretbox/plain"), nonce, key);
    assertArrayEquals(Arrays.copyOfRange(wire, 24, wire.length), box);
    assertArrayEquals(Vectors.hex("/secretbox/plain"), SecretBox.openEasy(box, nonce, key));
    box[0] ^= 1;
    assertThrows(CryptoException.class, () -> SecretBox.openEasy(box, nonce, key));
    assertThrows(CryptoException.class, () -> SecretBox.openEasy(new byte[15], nonce, key));
    assertThrows(CryptoException.class, () -> SecretBox.easy(new byte[1], new byte[23], key));
  }

  @Test
  void shouldMatchJsWhenPushingSecretStreamWithKnownHeader() {
    byte[] key = Vectors.hex("/secretstream/key");
    byte[] header = Vectors.hex("/secretstream/header");
    byte[] hi = Vectors.hex("/secretstream/ct(\"hi\")");
    byte[] keepAlive = Vectors.hex("/secretstream/ct(\"\") keepalive");
    byte[] open = Vectors.hex("/secretstream/ct(protomux open prefix)");

    SecretStreamPull pull = new SecretStreamPull(key, header);
    assertArrayEquals("hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII), pull.pull(hi));
    assertEquals(0, pull.lastTag());
    assertArrayEquals(new byte[0], pull.pull(keepAlive));
    byte[] openPlain = pull.pull(open);
    assertEquals(open.length - 17, openPlain.length);

    SecretStreamPush push = SecretStreamPush.withHeader(key, header);
    assertArrayEquals(header, push.header());
    assertArrayEquals(hi, push.push("hi".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    assertArrayEquals(keepAlive, push.push(new byte[0]));
    assertArrayEquals(open, push.push(openPlain));
  }

  @Test
  void shouldRejectSecretStreamMessageWhenForgedReplayedOrShort() {
    byte[] key = Random.bytes(32);
    SecretStreamPush push = new SecretStreamPush(key);
    byte[] first = push.push(new byte[] {1, 2, 3});
    byte[] framed = new byte[first.length + 4];
    push.push(new byte[] {9, 8, 7}, 0, 3, framed, 2);
    SecretStreamPull pull = new SecretStreamPull(key, push.header());
    assertArrayEquals(new byte[] {1, 2, 3}, pull.pull(first));
    assertArrayEquals(new byte[] {9, 8, 7}, pull.pull(framed, 2, first.length));
    assertThrows(CryptoException.class, () -> pull.pull(first));
    assertThrows(CryptoException.class, () -> pull.pull(new byte[16]));
    assertThrows(CryptoException.class, () -> new SecretStreamPull(key, new byte[23]));
    assertThrows(CryptoException.class, () -> new SecretStreamPush(new byte[31]));
    assertThrows(CryptoException.class, () -> SecretStreamPush.withHeader(key, new byte[3]));
    assertThrows(CryptoException.class, () -> push.push(new byte[4], 2, 4, new byte[40], 0));
  }
}
