package io.hyperinfer.crypto.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Blake2b;
import io.hyperinfer.crypto.CryptoException;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.Vectors;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class NoiseHandshakeTest {
  private static final String IK = "/noiseIK/";

  private static KeyPair seeded(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return Ed25519.fromSeed(seed);
  }

  @Test
  void shouldReproduceJsVectorByteForByteWhenRunningIk() {
    byte[] prologue = Vectors.hex(IK + "prologue");
    KeyPair responderStatic = seeded(1);
    NoiseHandshake initiator = new NoiseHandshake(NoisePattern.IK, true, seeded(2), prologue,
        responderStatic.publicKey(), () -> seeded(3));
    NoiseHandshake responder = new NoiseHandshake(NoisePattern.IK, false, responderStatic, prologue, null,
        () -> seeded(4));

    assertArrayEquals(responderStatic.publicKey(), initiator.remoteStaticKey());
    assertEquals(null, responder.remoteStaticKey());
    byte[] msg1 = initiator.send(Vectors.hex(IK + "payload1"));
    assertArrayEquals(Vectors.hex(IK + "msg1"), msg1);
    assertArrayEquals(Vectors.hex(IK + "payload1"), responder.receive(msg1));
    assertArrayEquals(seeded(2).publicKey(), responder.remoteStaticKey());
    byte[] msg2 = responder.send(Vectors.hex(IK + "payload2"));
    assertArrayEquals(Vectors.hex(IK + "msg2"), msg2);
    assertArrayEquals(Vectors.hex(IK + "payload2"), initiator.receive(msg2));

    HandshakeResult i = initiator.result();
    HandshakeResult r = responder.result();
    assertArrayEquals(Vectors.hex(IK + "handshakeHash64"), i.handshakeHash());
    assertArrayEquals(Vectors.hex(IK + "handshakeHash64"), r.handshakeHash());
    assertArrayEquals(Vectors.hex(IK + "initiatorTx"), i.tx());
    assertArrayEquals(Vectors.hex(IK + "initiatorRx"), i.rx());
    assertArrayEquals(Vectors.hex(IK + "responderTx"), r.tx());
    assertArrayEquals(Vectors.hex(IK + "responderRx"), r.rx());
    assertArrayEquals(seeded(2).publicKey(), r.remotePublicKey());
    assertArrayEquals(responderStatic.publicKey(), i.remotePublicKey());
    assertArrayEquals(seeded(2).publicKey(), i.publicKey());
    byte[] id = Blake2b.hash(Vectors.hex("/ns/secret-stream INITIATOR (0)"), i.handshakeHash(), 32);
    assertArrayEquals(Vectors.hex(IK + "streamId initiator = BLAKE2b256(key=hash, NS_INITIATOR)"), id);
    assertFalse(i.toString().contains(java.util.HexFormat.of().formatHex(i.tx())));
  }

  @Tag("fuzz")
  @Test
  void shouldThrowOnlyCryptoExceptionWhenResponderGetsHostileMessages() {
    java.util.SplittableRandom random = io.hyperinfer.testkit.Seeds.random("NoiseHandshakeTest.fuzz");
    byte[] prologue = Vectors.hex(IK + "prologue");
    KeyPair responderStatic = seeded(1);
    byte[] valid = Vectors.hex(IK + "msg1");
    int rejected = 0;
    // The full decoder budget: most cases cost an Edwards scalar multiplication, ~33 us here, so 100k take ~3 s.
    int iterations = io.hyperinfer.testkit.Seeds.fuzzIterations();
    for (int i = 0; i < iterations; i++) {
      NoiseHandshake responder = new NoiseHandshake(i % 2 == 0 ? NoisePattern.IK : NoisePattern.XX, false,
          responderStatic, prologue, null, () -> seeded(4));
      byte[] input = valid.clone();
      if (random.nextBoolean()) {
        input = io.hyperinfer.testkit.Seeds.bytes(random, random.nextInt(130));
      } else {
        input[random.nextInt(input.length)] ^= (byte) (1 + random.nextInt(255));
        input = Arrays.copyOf(input, random.nextInt(input.length + 1));
      }
      try {
        responder.receive(input);
      } catch (CryptoException expected) {
        rejected++;
      }
    }
    assertTrue(rejected > iterations / 3);
  }

  @Test
  void shouldMatchJsKeysWhenDerivedFromSeeds() {
    assertArrayEquals(Vectors.hex("/keys/seed 02*32 publicKey"), seeded(2).publicKey());
    assertArrayEquals(Vectors.hex("/keys/seed 01*32 secretKey"), seeded(1).secretKey());
    assertArrayEquals(Vectors.hex("/keys/hash(pk seed01) = announce~1connect target"),
        Blake2b.hash(seeded(1).publicKey()));
  }

  @Test
  void shouldAgreeOnKeysWhenRunningXxWithFreshKeys() {
    KeyPair a = Ed25519.generate();
    KeyPair b = Ed25519.generate();
    NoiseHandshake initiator = NoiseHandshake.xx(true, a);
    NoiseHandshake responder = NoiseHandshake.xx(false, b);
    assertTrue(initiator.isMyTurn());
    assertFalse(responder.isMyTurn());
    byte[] m1 = initiator.send(new byte[0]);
    assertEquals(32, m1.length);
    responder.receive(m1);
    byte[] m2 = responder.send(new byte[0]);
    assertEquals(32 + 48 + 16, m2.length);
    initiator.receive(m2);
    byte[] m3 = initiator.send(new byte[0]);
    assertEquals(48 + 16, m3.length);
    responder.receive(m3);
    assertTrue(initiator.isComplete() && responder.isComplete());
    assertArrayEquals(initiator.result().tx(), responder.result().rx());
    assertArrayEquals(initiator.result().rx(), responder.result().tx());
    assertArrayEquals(initiator.result().handshakeHash(), responder.result().handshakeHash());
    assertArrayEquals(b.publicKey(), initiator.result().remotePublicKey());
    assertArrayEquals(a.publicKey(), responder.result().remotePublicKey());
  }

  @Test
  void shouldFailWhenMessageIsTamperedShortOrOutOfTurn() {
    KeyPair server = Ed25519.generate();
    NoiseHandshake initiator = NoiseHandshake.ik(true, Ed25519.generate(), new byte[0], server.publicKey());
    NoiseHandshake responder = NoiseHandshake.ik(false, server, new byte[0], null);
    assertThrows(CryptoException.class, () -> responder.send(new byte[0]));
    assertThrows(CryptoException.class, () -> initiator.result());
    byte[] msg1 = initiator.send(new byte[] {1});
    assertThrows(CryptoException.class, () -> initiator.send(new byte[0]));
    byte[] tampered = msg1.clone();
    tampered[40] ^= 1;
    CryptoException e = assertThrows(CryptoException.class, () -> responder.receive(tampered));
    assertEquals(CryptoException.Code.HANDSHAKE_FAILED, e.code());
    assertThrows(CryptoException.class, () -> responder.receive(msg1));
    NoiseHandshake fresh = NoiseHandshake.ik(false, server, new byte[0], null);
    assertThrows(CryptoException.class, () -> fresh.receive(Arrays.copyOf(msg1, 20)));
    assertThrows(CryptoException.class,
        () -> NoiseHandshake.ik(true, Ed25519.generate(), new byte[0], null));
  }
}
