package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.hyperdht.wire.Announce;
import io.hyperinfer.hyperdht.wire.JsShapes;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.hyperdht.wire.RandomMessages;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.testkit.Seeds;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random messages, key pairs and signatures checked against the pinned JS at test time
 * ({@code src/test/js/messages-peer.js serve}): JS decodes Java's bytes to the value Java encoded, JS encodes that
 * value to Java's bytes, and both sign the same statements identically.
 */
@Timeout(120)
class MessagesInteropIT {
  private static final int VALUES_PER_TYPE = 150;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsProcess js;

  @BeforeAll
  static void start() {
    js = JsPeers.start(ProjectPaths.root().resolve("hyperdht/src/test/js/messages-peer.js"), "serve");
    js.awaitLine(l -> l.contains("ready"), WAIT);
  }

  @AfterAll
  static void stop() {
    if (js != null) {
      js.close();
    }
  }

  private static JsonNode ask(ObjectNode request) throws Exception {
    js.send(JSON.writeValueAsString(request));
    JsonNode answer = JSON.readTree(js.awaitLine(l -> true, WAIT));
    assertFalse(answer.has("error"), () -> request + " -> " + answer);
    return answer;
  }

  @Test
  void shouldEncodeAndDecodeLikeJsWhenValuesAreRandom() throws Exception {
    RandomMessages messages = new RandomMessages(Seeds.random("MessagesInteropIT"), true);
    for (JsShapes.Type<?> type : JsShapes.TYPES.values()) {
      for (int i = 0; i < VALUES_PER_TYPE; i++) {
        Object value = messages.of(type.name());
        JsonNode expected = type.json(value);
        byte[] ours = encode(type, value);
        JsonNode decoded = ask(JSON.createObjectNode().put("op", "decode").put("type", type.name())
            .put("hex", HEX.formatHex(ours))).get("value");
        assertTrue(JsShapes.sameJson(expected, decoded), type.name() + ": Java " + expected + "\nJS " + decoded);
        ObjectNode encodeRequest = JSON.createObjectNode().put("op", "encode").put("type", type.name());
        encodeRequest.set("value", expected);
        assertEquals(HEX.formatHex(ours), ask(encodeRequest).get("hex").asText(), type.name() + " " + expected);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> byte[] encode(JsShapes.Type<T> type, Object value) {
    return Compact.encode(type.codec(), (T) value);
  }

  @Test
  void shouldDeriveAndSignLikeJsWhenKeysAreRandom() throws Exception {
    SplittableRandom random = Seeds.random("MessagesInteropIT.signing");
    RandomMessages messages = new RandomMessages(random.split(), true);
    for (int i = 0; i < 40; i++) {
      byte[] seed = Seeds.bytes(random, 32);
      KeyPair kp = HyperDhtCrypto.keyPair(seed);
      JsonNode jsKeys = ask(JSON.createObjectNode().put("op", "keyPair").put("seed", HEX.formatHex(seed)));
      assertEquals(HEX.formatHex(kp.publicKey()), jsKeys.get("publicKey").asText());
      assertEquals(HEX.formatHex(kp.secretKey()), jsKeys.get("secretKey").asText());

      byte[] data = Seeds.bytes(random, random.nextInt(100));
      assertEquals(HEX.formatHex(HyperDhtCrypto.hash(data)),
          ask(JSON.createObjectNode().put("op", "hash").put("data", HEX.formatHex(data))).get("hash").asText());

      byte[] target = Seeds.bytes(random, 32);
      byte[] token = Seeds.bytes(random, 32);
      byte[] nodeId = Seeds.bytes(random, 32);
      Announce ann = new Announce(new Peer(kp.publicKey(), ((Peer) messages.of("peer")).relayAddresses()),
          random.nextBoolean() ? Seeds.bytes(random, 32) : null, null, 0);
      boolean unannounce = random.nextBoolean();
      ObjectNode sign = JSON.createObjectNode().put("op", "signAnnounce").put("target", HEX.formatHex(target))
          .put("token", HEX.formatHex(token)).put("nodeId", HEX.formatHex(nodeId))
          .put("secretKey", HEX.formatHex(kp.secretKey())).put("unannounce", unannounce);
      sign.set("announce", JsShapes.TYPES.get("announce").json(ann));
      byte[] ours = unannounce ? Signatures.signUnannounce(target, token, nodeId, ann, kp)
          : Signatures.signAnnounce(target, token, nodeId, ann, kp);
      assertArrayEquals(HEX.parseHex(ask(sign).get("signature").asText()), ours);

      long seq = random.nextLong(1L << 53);
      byte[] value = Seeds.bytes(random, random.nextInt(64));
      JsonNode mutable = ask(JSON.createObjectNode().put("op", "signMutable").put("seq", seq)
          .put("value", HEX.formatHex(value)).put("secretKey", HEX.formatHex(kp.secretKey())));
      assertArrayEquals(HEX.parseHex(mutable.get("signature").asText()), Signatures.signMutable(seq, value, kp));
    }
  }
}
