package io.hyperinfer.hypercore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class JsInteropIT {
  private static final HexFormat HEX = HexFormat.of();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  static Path script(String name) {
    return ProjectPaths.root().resolve("hypercore/src/test/js/" + name);
  }

  static JsonNode run(String script, String... args) {
    try (JsProcess js = JsPeers.start(script(script), args)) {
      String line = js.awaitLine(l -> l.startsWith("RESULT ") || l.startsWith("DONE ") || l.startsWith("ERROR "),
          Duration.ofSeconds(90));
      assertFalse(line.startsWith("ERROR "), line + "\n" + js.stderr());
      return line.startsWith("RESULT ") ? JSON.readTree(line.substring(7)) : JSON.createObjectNode();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ArrayNode nodes(List<MerkleNode> nodes) {
    ArrayNode out = JSON.createArrayNode();
    for (MerkleNode n : nodes) {
      out.addObject().put("index", n.index()).put("size", n.size()).put("hash", HEX.formatHex(n.hash()));
    }
    return out;
  }

  private static List<MerkleNode> nodes(JsonNode array) {
    List<MerkleNode> out = new ArrayList<>();
    array.forEach(n -> out.add(new MerkleNode(n.get("index").asLong(), n.get("size").asLong(),
        HEX.parseHex(n.get("hash").asText()))));
    return out;
  }

  private static UpgradeProof upgrade(JsonNode u) {
    return new UpgradeProof(u.get("start").asLong(), u.get("length").asLong(), nodes(u.get("nodes")),
        HEX.parseHex(u.get("signature").asText()));
  }

  private static BlockProof block(JsonNode b) {
    return new BlockProof(b.get("index").asLong(), HEX.parseHex(b.get("value").asText()), nodes(b.get("nodes")));
  }

  @Test
  @Timeout(180)
  void shouldBeAcceptedByJsHypercoreWhenWrittenByJava() throws Exception {
    KeyPair keys = Ed25519.fromSeed(new byte[32]);
    ObjectNode out = JSON.createObjectNode();
    String treeHash;
    String discoveryKey;
    try (HypercoreStore store = HypercoreStore.open(dir.resolve("store")); Hypercore core = store.open(keys)) {
      for (int i = 0; i < 50; ) {
        List<byte[]> batch = new ArrayList<>();
        for (int k = 0; k <= i % 5 && i < 50; k++, i++) {
          batch.add(("java-block-" + i).getBytes(StandardCharsets.UTF_8));
        }
        core.append(batch);
      }
      out.put("key", HEX.formatHex(core.key())).put("publicKey", keys.publicKeyHex())
          .put("namespace", HEX.formatHex(core.manifest().namespace()));
      UpgradeProof up = core.upgradeProof(0);
      out.putObject("upgrade").put("length", up.length()).put("signature", HEX.formatHex(up.signature()))
          .set("nodes", nodes(up.nodes()));
      ArrayNode blocks = out.putArray("blocks");
      for (long i = 0; i < core.length(); i++) {
        BlockProof p = core.blockProof(i);
        blocks.addObject().put("index", i).put("value", HEX.formatHex(p.value())).set("nodes", nodes(p.nodes()));
      }
      treeHash = HEX.formatHex(core.treeHash());
      discoveryKey = HEX.formatHex(core.discoveryKey());
    }
    Path file = dir.resolve("java-core.json");
    JSON.writeValue(file.toFile(), out);

    JsonNode result = run("js-ingest.js", file.toString());
    assertEquals(50, result.get("length").asInt());
    assertEquals(treeHash, result.get("treeHash").asText());
    assertEquals(discoveryKey, result.get("discoveryKey").asText());
    assertEquals(50, result.get("accepted").asInt());
    assertEquals(50, result.get("matching").asInt());
    assertEquals(50, result.get("contiguousLength").asInt());
    assertTrue(result.get("flippedBlockRejected").asBoolean());
    assertTrue(result.get("badSignatureRejected").asBoolean());
    assertEquals(0, result.get("badSignatureLength").asInt());
    assertFalse(result.get("writable").asBoolean());
  }

  @Test
  @Timeout(180)
  void shouldVerifyInJavaWhenWrittenByJsHypercore() throws Exception {
    Path file = dir.resolve("js-core.json");
    run("js-export.js", file.toString(), "40");
    JsonNode js = JSON.readTree(file.toFile());
    Manifest manifest = new Manifest(HEX.parseHex(js.get("publicKey").asText()),
        HEX.parseHex(js.get("namespace").asText()), false);
    assertEquals(js.get("key").asText(), HEX.formatHex(manifest.key()));
    try (HypercoreStore store = HypercoreStore.open(dir.resolve("a"));
        Hypercore core = store.open(manifest, HypercoreStore.OnCorruption.FAIL)) {
      assertEquals(js.get("discoveryKey").asText(), HEX.formatHex(core.discoveryKey()));
      core.verify(new Proof(0, null, upgrade(js.get("upgrade"))));
      assertEquals(40, core.length());
      assertEquals(js.get("treeHash").asText(), HEX.formatHex(core.treeHash()));
      BlockProof first = block(js.get("blocks").get(7));
      byte[] evil = first.value();
      evil[0] ^= 1;
      HypercoreException e = assertThrows(HypercoreException.class,
          () -> core.verify(new Proof(0, new BlockProof(7, evil, first.nodes()), null)));
      assertEquals(HypercoreException.Code.INVALID_CHECKSUM, e.code());
      for (JsonNode b : js.get("blocks")) {
        core.verify(new Proof(0, block(b), null));
      }
      for (int i = 0; i < 40; i++) {
        assertArrayEquals(("js-block-" + i).getBytes(StandardCharsets.UTF_8), core.get(i));
      }
    }
    try (HypercoreStore store = HypercoreStore.open(dir.resolve("b"));
        Hypercore core = store.open(manifest, HypercoreStore.OnCorruption.FAIL)) {
      JsonNode c = js.get("combined");
      core.verify(new Proof(0, block(c.get("block")), upgrade(c.get("upgrade"))));
      assertArrayEquals("js-block-2".getBytes(StandardCharsets.UTF_8), core.get(2));
      assertEquals(40, core.length());
    }
    try (HypercoreStore store = HypercoreStore.open(dir.resolve("a"));
        Hypercore core = store.open(manifest, HypercoreStore.OnCorruption.FAIL)) {
      assertEquals(40, core.length());
    }
  }
}
