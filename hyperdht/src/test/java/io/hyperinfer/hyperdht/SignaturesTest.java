package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.testkit.Vectors;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespaces, key pairs, hashes and the announce and mutable signatures, against values the pinned JS produced. */
class SignaturesTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final JsonNode SIGNING = Vectors.read(Path.of("src/test/resources/vectors/hyperdht-messages.json"))
      .get("signing");

  static KeyPair seeded(int b) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) b);
    return HyperDhtCrypto.keyPair(seed);
  }

  private static byte[] hex(JsonNode n) {
    return HEX.parseHex(n.asText());
  }

  @Test
  void shouldDeriveJsNamespacesWhenHashingTheDhtName() {
    assertArrayEquals(Vectors.hex("/ns/dht ANNOUNCE (id 4)"), Namespaces.announce());
    assertArrayEquals(Vectors.hex("/ns/dht UNANNOUNCE (id 5)"), Namespaces.unannounce());
    assertArrayEquals(Vectors.hex("/ns/dht MUTABLE_PUT (id 6)"), Namespaces.mutablePut());
    assertArrayEquals(Vectors.hex("/ns/dht PEER_HANDSHAKE (id 0) = noise prologue"), Namespaces.peerHandshake());
    assertArrayEquals(Vectors.hex("/ns/dht PEER_HOLEPUNCH (id 1)"), Namespaces.peerHolepunch());
    assertArrayEquals(Vectors.hex("/ns/dht PLUGIN (id 10)"), Namespaces.plugin());
    JsonNode ns = SIGNING.get("ns");
    assertArrayEquals(hex(ns.get("ANNOUNCE")), Namespaces.announce());
    assertArrayEquals(hex(ns.get("PLUGIN")), Namespaces.plugin());
    byte[] copy = Namespaces.announce();
    copy[0] ^= 1;
    assertArrayEquals(hex(ns.get("ANNOUNCE")), Namespaces.announce(), "accessors hand out copies");
    assertThrows(IllegalArgumentException.class, () -> Namespaces.derive("x", 256));
    assertThrows(IllegalArgumentException.class, () -> Namespaces.derive("x", -1));
  }

  @Test
  void shouldMatchJsKeyPairsAndHashesWhenSeeded() {
    assertArrayEquals(Vectors.hex("/keys/seed 01*32 publicKey"), seeded(1).publicKey());
    assertArrayEquals(Vectors.hex("/keys/seed 01*32 secretKey"), seeded(1).secretKey());
    assertArrayEquals(hex(SIGNING.at("/seed02/publicKey")), seeded(2).publicKey());
    assertArrayEquals(hex(SIGNING.at("/seed03/secretKey")), seeded(3).secretKey());
    assertArrayEquals(Vectors.hex("/keys/hash(pk seed01) = announce~1connect target"),
        HyperDhtCrypto.hash(seeded(1).publicKey()));
    assertArrayEquals(Vectors.hex("/immutable/target for value \"hello\" = BLAKE2b256(\"hello\")"),
        HyperDhtCrypto.hash("hello".getBytes()));
    assertArrayEquals(Vectors.hex("/noiseIK/holepunchSecret"),
        HyperDhtCrypto.holepunchSecret(Vectors.hex("/noiseIK/handshakeHash64")));
    assertEquals(32, HyperDhtCrypto.keyPair().publicKey().length);
  }

  @Test
  void shouldReproduceTheSharedAnnounceVectorWhenSigning() {
    byte[] target = Vectors.hex("/announce/target");
    byte[] token = Vectors.hex("/announce/token");
    byte[] nodeId = Vectors.hex("/announce/nodeId");
    Announce ann = new Announce(new Peer(seeded(1).publicKey(), List.of()), null, null, 0);
    assertArrayEquals(Vectors.hex("/announce/signable"),
        Signatures.announceSignable(target, nodeId, token, ann.peer(), null, false));
    byte[] signature = Signatures.signAnnounce(target, token, nodeId, ann, seeded(1));
    assertArrayEquals(Vectors.hex("/announce/signature"), signature);
    Announce signed = new Announce(ann.peer(), null, signature, 0);
    assertArrayEquals(Vectors.hex("/announce/announce value (flags=peer|signature)"),
        Compact.encode(Announce.CODEC, signed));
    assertTrue(Signatures.verifyAnnounce(target, token, nodeId, signed, false));
    Announce unannounce = Announce.CODEC.decode(Buf.wrap(Vectors.hex("/announce/unannounce value")));
    assertTrue(Signatures.verifyAnnounce(target, token, nodeId, unannounce, true));
    assertArrayEquals(unannounce.signature(), Signatures.signUnannounce(target, token, nodeId, ann, seeded(1)));
  }

  @Test
  void shouldMatchJsWhenSigningWithRefreshAndManyRelays() {
    JsonNode v = SIGNING.get("announceWithRefresh");
    Announce ann = io.hyperinfer.hyperdht.wire.JsShapes.announce(v.get("announce"));
    byte[] sig = Signatures.signAnnounce(hex(v.get("target")), hex(v.get("token")), hex(v.get("nodeId")), ann,
        seeded(1));
    assertArrayEquals(hex(v.get("signature")), sig);
    Announce signed = new Announce(ann.peer(), ann.refresh(), sig, 0);
    assertTrue(Signatures.verifyAnnounce(hex(v.get("target")), hex(v.get("token")), hex(v.get("nodeId")), signed,
        false));
    JsonNode u = SIGNING.get("unannounce");
    Announce unann = io.hyperinfer.hyperdht.wire.JsShapes.announce(u.get("announce"));
    assertArrayEquals(hex(u.get("signature")), Signatures.signUnannounce(hex(u.get("target")), hex(u.get("token")),
        hex(u.get("nodeId")), unann, seeded(1)));
  }

  @Test
  void shouldBindAnnounceSignaturesToTheNodeTheTokenAndTheNamespace() {
    byte[] target = HyperDhtCrypto.hash(seeded(1).publicKey());
    byte[] token = new byte[32];
    byte[] nodeId = new byte[32];
    Peer peer = new Peer(seeded(1).publicKey(), List.of());
    Announce ann = new Announce(peer, null, null, 0);
    Announce signed = new Announce(peer, null, Signatures.signAnnounce(target, token, nodeId, ann, seeded(1)), 0);
    assertTrue(Signatures.verifyAnnounce(target, token, nodeId, signed, false));
    byte[] otherNode = nodeId.clone();
    otherNode[0] = 1;
    assertFalse(Signatures.verifyAnnounce(target, token, otherNode, signed, false), "another storing node");
    byte[] otherToken = token.clone();
    otherToken[31] = 1;
    assertFalse(Signatures.verifyAnnounce(target, otherToken, nodeId, signed, false), "another token");
    assertFalse(Signatures.verifyAnnounce(target, token, nodeId, signed, true), "an announce is no unannounce");
    assertFalse(Signatures.verifyAnnounce(target, token, nodeId, ann, false), "no signature");
    assertFalse(Signatures.verifyAnnounce(target, token, nodeId, new Announce(null, null, signed.signature(), 0),
        false), "no peer");
    assertThrows(IllegalArgumentException.class,
        () -> Signatures.signAnnounce(target, token, nodeId, new Announce(null, new byte[32], null, 0), seeded(1)));
  }

  @Test
  void shouldMatchJsMutableSignaturesWhenSigning() {
    byte[] sig = Signatures.signMutable(1, "hello".getBytes(), seeded(1));
    assertArrayEquals(Vectors.hex("/mutable/signature"), sig);
    assertTrue(Signatures.verifyMutable(sig, 1, "hello".getBytes(), seeded(1).publicKey()));
    assertFalse(Signatures.verifyMutable(sig, 2, "hello".getBytes(), seeded(1).publicKey()));
    assertFalse(Signatures.verifyMutable(sig, 1, "hellO".getBytes(), seeded(1).publicKey()));
    assertFalse(Signatures.verifyMutable(sig, 1, "hello".getBytes(), seeded(2).publicKey()));
    assertArrayEquals(hex(SIGNING.get("mutableSeq0Empty")), Signatures.signMutable(0, new byte[0], seeded(1)));
    assertArrayEquals(hex(SIGNING.get("mutableBigSeq")),
        Signatures.signMutable(4294967296L, "hyperinfer".getBytes(), seeded(1)));
  }
}
