package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import io.hyperinfer.testkit.Vectors;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoiseWrapTest {
  private static final String IK = "/noiseIK/";

  private static NoisePayload payload(String name) {
    return NoisePayload.CODEC.decode(Buf.wrap(Vectors.hex(IK + name)));
  }

  @Test
  void shouldReproduceTheJsHandshakeByteForByteWhenEphemeralsAreFixed() {
    KeyPair server = SignaturesTest.seeded(1);
    KeyPair client = SignaturesTest.seeded(2);
    NoiseWrap initiator = new NoiseWrap(client, server.publicKey(), () -> SignaturesTest.seeded(3));
    NoiseWrap responder = new NoiseWrap(server, null, () -> SignaturesTest.seeded(4));
    assertTrue(initiator.isInitiator());
    assertFalse(responder.isInitiator());
    assertNull(responder.remotePublicKey());

    byte[] msg1 = initiator.send(payload("payload1"));
    assertArrayEquals(Vectors.hex(IK + "msg1"), msg1);
    NoisePayload got1 = responder.receive(msg1);
    assertArrayEquals(Vectors.hex(IK + "payload1"), Compact.encode(NoisePayload.CODEC, got1));
    assertArrayEquals(client.publicKey(), responder.remotePublicKey(), "the server knows the client before answering");
    assertFalse(responder.isComplete());
    assertThrows(HyperDhtException.class, responder::established);

    byte[] msg2 = responder.send(payload("payload2"));
    assertArrayEquals(Vectors.hex(IK + "msg2"), msg2);
    assertEquals(payload("payload2").udx(), initiator.receive(msg2).udx());

    NoiseWrap.Established c = initiator.established();
    NoiseWrap.Established s = responder.established();
    assertTrue(c.initiator());
    assertFalse(s.initiator());
    assertArrayEquals(Vectors.hex(IK + "initiatorTx"), c.tx());
    assertArrayEquals(Vectors.hex(IK + "initiatorRx"), c.rx());
    assertArrayEquals(Vectors.hex(IK + "responderTx"), s.tx());
    assertArrayEquals(Vectors.hex(IK + "handshakeHash64"), s.hash());
    assertArrayEquals(Vectors.hex(IK + "holepunchSecret"), c.holepunchSecret());
    assertArrayEquals(c.holepunchSecret(), s.holepunchSecret());
    assertArrayEquals(server.publicKey(), c.remotePublicKey());
    assertArrayEquals(server.publicKey(), s.publicKey());
    assertArrayEquals(client.publicKey(), s.remotePublicKey());
    HandshakeResult forStream = c.toHandshakeResult();
    assertArrayEquals(c.tx(), forStream.tx());
    assertArrayEquals(c.hash(), forStream.handshakeHash());
    assertArrayEquals(server.publicKey(), forStream.remotePublicKey());
    assertFalse(c.toString().contains(java.util.HexFormat.of().formatHex(c.tx())));
  }

  @Test
  void shouldCompleteWithFreshKeysWhenBothSidesAreJava() {
    KeyPair server = HyperDhtCrypto.keyPair();
    KeyPair client = HyperDhtCrypto.keyPair();
    NoiseWrap initiator = NoiseWrap.initiator(client, server.publicKey());
    NoiseWrap responder = NoiseWrap.responder(server);
    NoisePayload hello = new NoisePayload(1, 0, 0, null, List.of(), List.of(), UdxInfo.of(true, 9),
        SecretStreamInfo.V1, null, null);
    NoisePayload got = responder.receive(initiator.send(hello));
    assertEquals(9, got.udx().id());
    initiator.receive(responder.send(hello));
    assertTrue(initiator.isComplete());
    assertArrayEquals(initiator.established().tx(), responder.established().rx());
    assertArrayEquals(server.publicKey(), initiator.remotePublicKey());
  }

  @Test
  void shouldRejectWithHandshakeInvalidWhenMessagesAreBad() {
    KeyPair server = HyperDhtCrypto.keyPair();
    NoiseWrap responder = NoiseWrap.responder(server);
    HyperDhtException e = assertThrows(HyperDhtException.class, () -> responder.receive(new byte[10]));
    assertEquals(HyperDhtException.Code.HANDSHAKE_INVALID, e.code());

    NoiseWrap initiator = NoiseWrap.initiator(HyperDhtCrypto.keyPair(), server.publicKey());
    byte[] msg1 = initiator.send(NoisePayload.ofVersion(1 + 1));
    msg1[msg1.length - 1] ^= 1;
    assertEquals(HyperDhtException.Code.HANDSHAKE_INVALID,
        assertThrows(HyperDhtException.class, () -> NoiseWrap.responder(server).receive(msg1)).code());
    assertEquals(HyperDhtException.Code.HANDSHAKE_INVALID,
        assertThrows(HyperDhtException.class, () -> initiator.send(NoisePayload.ofVersion(2))).code(),
        "not the client's turn");
    assertThrows(IllegalArgumentException.class, () -> NoiseWrap.initiator(server, null));
    assertThrows(IllegalArgumentException.class, () -> NoiseWrap.initiator(server, new byte[5]));
  }

  @Test
  void shouldRejectAPayloadThatDoesNotDecodeWhenTheNoiseIsValid() {
    KeyPair server = HyperDhtCrypto.keyPair();
    // A valid Noise message whose plaintext is an empty payload: the version uint is missing.
    io.hyperinfer.crypto.noise.NoiseHandshake raw = io.hyperinfer.crypto.noise.NoiseHandshake.ik(true,
        HyperDhtCrypto.keyPair(), Namespaces.peerHandshake(), server.publicKey());
    byte[] msg1 = raw.send(new byte[0]);
    HyperDhtException e = assertThrows(HyperDhtException.class, () -> NoiseWrap.responder(server).receive(msg1));
    assertEquals(HyperDhtException.Code.HANDSHAKE_INVALID, e.code());
  }
}
