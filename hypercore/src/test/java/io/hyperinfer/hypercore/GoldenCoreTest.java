package io.hyperinfer.hypercore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.ProjectPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenCoreTest {
  private static final HexFormat HEX = HexFormat.of();

  @TempDir Path dir;

  static List<byte[]> goldenBlocks() {
    List<byte[]> blocks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      blocks.add(("block-" + i + "-" + "x".repeat(i % 37)).getBytes(StandardCharsets.UTF_8));
    }
    return blocks;
  }

  static KeyPair goldenKeyPair() {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 7);
    return Ed25519.fromSeed(seed);
  }

  static JsonNode golden(String version) throws IOException {
    Path file = ProjectPaths.shared().resolve("storage/interop/out-" + version + "/core.json");
    return new ObjectMapper().readTree(file.toFile());
  }

  @Test
  void shouldMatchJsV11KeyTreeHashAndSignatureWhenAppendingTheGoldenBlocks() throws IOException {
    JsonNode g = golden("v11");
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(goldenKeyPair())) {
      core.append(goldenBlocks());
      assertEquals(g.get("key").asText(), HEX.formatHex(core.key()));
      assertEquals(g.get("discoveryKey").asText(), HEX.formatHex(core.discoveryKey()));
      assertEquals(g.get("treeHash").asText(), HEX.formatHex(core.treeHash()));
      assertEquals(g.get("signature").asText(), HEX.formatHex(core.signature()));
      assertEquals(g.at("/manifest/signers/0/namespace").asText(), HEX.formatHex(core.manifest().namespace()));
      assertEquals(1000, core.length());
    }
  }

  @Test
  void shouldMatchJsV10SignatureWhenKeyIsThePublicKey() throws IOException {
    JsonNode g = golden("v10");
    KeyPair keyPair = goldenKeyPair();
    try (HypercoreStore store = HypercoreStore.open(dir);
        Hypercore core = store.open(Manifest.compat(keyPair.publicKey()), keyPair, HypercoreStore.OnCorruption.FAIL)) {
      for (byte[] block : goldenBlocks()) {
        core.append(block);
      }
      assertEquals(g.get("key").asText(), HEX.formatHex(core.key()));
      assertEquals(g.get("discoveryKey").asText(), HEX.formatHex(core.discoveryKey()));
      assertEquals(g.get("treeHash").asText(), HEX.formatHex(core.treeHash()));
      assertEquals(g.get("signature").asText(), HEX.formatHex(core.signature()));
    }
  }

  @Test
  void shouldDeriveCorestoreKeysWhenOpeningANamedCore() {
    byte[] primary = new byte[32];
    Arrays.fill(primary, (byte) 7);
    // values printed by corestore 7.12.5: createKeyPair('users') and get({ name: 'users' }).key, primaryKey 07 x 32
    assertEquals("f012d9adef7bb3465a9a52e8bc3317c418733dde3d00feabeb0d0a163f515dce",
        CoreCrypto.namedKeyPair(primary, "users").publicKeyHex());
    try (HypercoreStore store = HypercoreStore.open(dir); Hypercore core = store.open(primary, "users")) {
      assertEquals("76c851e216ab07538e9082b0942a9313c1f7a4bd5c32c583579ae4c945bbd731", HEX.formatHex(core.key()));
    }
  }

  @Test
  void shouldVerifyJsSignaturesWhenGivenTheGoldenTreeHash() throws IOException {
    for (String version : List.of("v10", "v11")) {
      JsonNode g = golden(version);
      byte[] pk = HEX.parseHex(g.get("publicKey").asText());
      Manifest manifest = version.equals("v10") ? Manifest.compat(pk) : Manifest.of(pk);
      byte[] treeHash = HEX.parseHex(g.get("treeHash").asText());
      byte[] signature = HEX.parseHex(g.get("signature").asText());
      assertTrue(manifest.verify(signature, treeHash, 1000, 0), version);
      signature[signature.length - 5] ^= 1;
      assertEquals(false, manifest.verify(signature, treeHash, 1000, 0), version);
    }
  }
}
