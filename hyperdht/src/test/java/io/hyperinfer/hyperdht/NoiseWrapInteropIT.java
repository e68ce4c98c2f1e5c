package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.HolepunchInfo;
import io.hyperinfer.hyperdht.wire.HolepunchPayload;
import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.SecretStreamInfo;
import io.hyperinfer.hyperdht.wire.UdxInfo;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connect handshake against the pinned JS {@code lib/noise-wrap.js}, each side in each role, over the JS peer's
 * stdin and stdout: both derive the same keys, hash and holepunch secret, read each other's payload, and open each
 * other's sealed holepunch payloads ({@code lib/secure-payload.js}).
 */
@Timeout(60)
class NoiseWrapInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HostPort CLIENT = new HostPort("10.0.0.1", 1001);
  private static final HostPort SERVER = new HostPort("10.0.0.4", 1004);

  private static Path script() {
    return ProjectPaths.root().resolve("hyperdht/src/test/js/noise-peer.js");
  }

  private static String read(JsProcess js, String word) {
    return js.awaitLine(l -> l.startsWith(word + " "), WAIT).substring(word.length() + 1);
  }

  private static JsonNode json(JsProcess js, String word) throws Exception {
    return JSON.readTree(read(js, word));
  }

  private static NoisePayload javaPayload(long firewall) {
    return new NoisePayload(1, 0, firewall, null, List.of(new HostPort("192.168.1.5", 40000)), List.of(),
        UdxInfo.of(true, 33), SecretStreamInfo.V1, null, List.of());
  }

  @Test
  void shouldAgreeOnKeysWhenJavaConnectsToAJsServer() throws Exception {
    KeyPair server = SignaturesTest.seeded(7);
    try (JsProcess js = JsPeers.start(script(), "responder", "07".repeat(32))) {
      KeyPair clientKeys = HyperDhtCrypto.keyPair();
      NoiseWrap client = NoiseWrap.initiator(clientKeys, server.publicKey());
      js.send("msg1 " + HEX.formatHex(client.send(javaPayload(Firewall.UNKNOWN))));

      JsonNode seen = json(js, "payload");
      assertEquals(33, seen.at("/udx/id").asInt(), "JS read the Java client's payload");
      assertEquals("192.168.1.5", seen.at("/addresses4/0/host").asText());
      assertTrue(seen.get("relayAddresses").isArray());

      NoisePayload fromJs = client.receive(HEX.parseHex(read(js, "msg2")));
      assertEquals(Firewall.CONSISTENT, fromJs.firewall());
      assertEquals(new HolepunchInfo(1, List.of(new HolepunchInfo.RelayInfo(new HostPort("10.0.0.2", 1002), SERVER))),
          fromJs.holepunch());
      assertEquals(9, fromJs.udx().id());
      assertTrue(fromJs.udx().reusableSocket());

      NoiseWrap.Established ours = client.established();
      JsonNode theirs = json(js, "final");
      assertFalse(theirs.get("isInitiator").asBoolean());
      assertArrayEquals(clientKeys.publicKey(), HEX.parseHex(theirs.get("remotePublicKey").asText()));
      assertArrayEquals(ours.tx(), HEX.parseHex(theirs.get("rx").asText()));
      assertArrayEquals(ours.rx(), HEX.parseHex(theirs.get("tx").asText()));
      assertArrayEquals(ours.hash(), HEX.parseHex(theirs.get("hash").asText()));
      assertArrayEquals(ours.holepunchSecret(), HEX.parseHex(theirs.get("holepunchSecret").asText()));
      exchangeHolepunchPayloads(js, ours);
    }
  }

  @Test
  void shouldAgreeOnKeysWhenAJsClientConnectsToJava() throws Exception {
    KeyPair serverKeys = HyperDhtCrypto.keyPair();
    try (JsProcess js = JsPeers.start(script(), "initiator", HEX.formatHex(serverKeys.publicKey()))) {
      NoiseWrap server = NoiseWrap.responder(serverKeys);
      NoisePayload fromJs = server.receive(HEX.parseHex(read(js, "msg1")));
      assertEquals(5, fromJs.udx().id());
      assertEquals(List.of(new HostPort("127.0.0.1", 49737)), fromJs.addresses4());
      assertEquals(SecretStreamInfo.V1, fromJs.secretStream());
      byte[] clientKey = server.remotePublicKey();

      js.send("msg2 " + HEX.formatHex(server.send(javaPayload(Firewall.OPEN))));
      JsonNode seen = json(js, "payload");
      assertEquals(Firewall.OPEN, seen.get("firewall").asLong());
      assertEquals(33, seen.at("/udx/id").asInt());

      NoiseWrap.Established ours = server.established();
      JsonNode theirs = json(js, "final");
      assertTrue(theirs.get("isInitiator").asBoolean());
      assertArrayEquals(clientKey, HEX.parseHex(theirs.get("publicKey").asText()));
      assertArrayEquals(serverKeys.publicKey(), HEX.parseHex(theirs.get("remotePublicKey").asText()));
      assertArrayEquals(ours.tx(), HEX.parseHex(theirs.get("rx").asText()));
      assertArrayEquals(ours.hash(), HEX.parseHex(theirs.get("hash").asText()));
      assertArrayEquals(ours.holepunchSecret(), HEX.parseHex(theirs.get("holepunchSecret").asText()));
      exchangeHolepunchPayloads(js, ours);
    }
  }

  private static void exchangeHolepunchPayloads(JsProcess js, NoiseWrap.Established ours) throws Exception {
    SecurePayload box = new SecurePayload(ours.holepunchSecret());
    HolepunchPayload fromJs = box.decrypt(HEX.parseHex(read(js, "sealed"))).orElseThrow();
    assertTrue(fromJs.punching());
    assertEquals(1, fromJs.round());
    assertEquals(CLIENT, fromJs.remoteAddress());
    assertEquals(List.of(SERVER), fromJs.addresses());
    byte[] myToken = box.token("10.0.0.4");
    js.send("sealed " + HEX.formatHex(box.encrypt(new HolepunchPayload(0, Firewall.CONSISTENT, 2, true, false,
        null, SERVER, myToken, fromJs.token()))));
    JsonNode opened = json(js, "opened");
    assertTrue(opened.get("connected").asBoolean());
    assertEquals(2, opened.get("round").asInt());
    assertEquals(HEX.formatHex(myToken), opened.get("token").asText());
    assertEquals(HEX.formatHex(fromJs.token()), opened.get("remoteToken").asText());
    assertEquals(0, js.awaitExit(WAIT));
  }
}
