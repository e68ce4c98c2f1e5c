package io.hyperinfer.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void shouldMatchRfc8032WhenSigningEmptyMessage() {
    KeyPair kp = Ed25519.fromSeed(HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", kp.publicKeyHex());
    byte[] sig = Ed25519.sign(new byte[0], kp.secretKey());
    assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        HEX.formatHex(sig));
    assertTrue(Ed25519.verify(sig, new byte[0], kp.publicKey()));
  }

  @Test
  void shouldMatchJsKeyPairWhenSeedIsOnes() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 1);
    KeyPair kp = Ed25519.fromSeed(seed);
    assertEquals("8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c", kp.publicKeyHex());
    assertEquals("0101010101010101010101010101010101010101010101010101010101010101"
        + "8a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c", HEX.formatHex(kp.secretKey()));
  }

  @Test
  void shouldRejectSignatureWhenMessageOrKeyChanges() {
    KeyPair kp = Ed25519.generate();
    byte[] msg = {1, 2, 3, 4};
    byte[] sig = Ed25519.sign(msg, kp.secretKey());
    assertFalse(Ed25519.verify(sig, new byte[] {1, 2, 3, 5}, kp.publicKey()));
    assertFalse(Ed25519.verify(sig, msg, Ed25519.generate().publicKey()));
    byte[] flipped = sig.clone();
    flipped[10] ^= 1;
    assertFalse(Ed25519.verify(flipped, msg, kp.publicKey()));
    assertFalse(Ed25519.verify(Arrays.copyOf(sig, 63), msg, kp.publicKey()));
  }

  @Test
  void shouldRejectKeyMaterialWhenSizesAreWrong() {
    assertThrows(CryptoException.class, () -> Ed25519.fromSeed(new byte[31]));
    assertThrows(CryptoException.class, () -> Ed25519.sign(new byte[1], new byte[32]));
    assertThrows(CryptoException.class, () -> new KeyPair(new byte[32], new byte[32]));
  }

  @Test
  void shouldHideSecretAndCopyArraysWhenKeyPairIsShared() {
    KeyPair kp = Ed25519.generate();
    assertFalse(kp.toString().contains(HEX.formatHex(kp.secretKey())));
    byte[] pk = kp.publicKey();
    pk[0] ^= 1;
    assertNotEquals(HEX.formatHex(pk), kp.publicKeyHex());
    assertEquals(kp, new KeyPair(kp.publicKey(), kp.secretKey()));
    assertEquals(kp.hashCode(), new KeyPair(kp.publicKey(), kp.secretKey()).hashCode());
  }

  @Test
  void shouldProduceDistinctBytesWhenDrawingRandom() {
    byte[] a = Random.bytes(32);
    byte[] b = Random.bytes(32);
    assertEquals(32, a.length);
    assertFalse(Arrays.equals(a, b));
    assertArrayEquals(new byte[0], Random.bytes(0));
  }
}
