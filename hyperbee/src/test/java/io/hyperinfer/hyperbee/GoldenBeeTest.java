package io.hyperinfer.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import io.hyperinfer.testkit.ProjectPaths;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GoldenBeeTest {
  @TempDir Path dir;

  static List<byte[]> goldenBlocks(String version) throws IOException {
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(
        ProjectPaths.shared().resolve("storage/interop/out-" + version + "/bee.blocks")));
    List<byte[]> blocks = new ArrayList<>();
    while (raw.hasRemaining()) {
      byte[] block = new byte[raw.getInt()];
      raw.get(block);
      blocks.add(block);
    }
    return blocks;
  }

  @Test
  void shouldReadEveryKeyWhenGivenBlocksWrittenByJsHyperbee() throws IOException {
    for (String version : List.of("v10", "v11")) {
      JsonNode expected = new ObjectMapper().readTree(
          ProjectPaths.shared().resolve("storage/interop/out-" + version + "/bee.json").toFile());
      List<byte[]> blocks = goldenBlocks(version);
      assertEquals(expected.get("length").asInt(), blocks.size());
      try (HypercoreStore store = HypercoreStore.open(dir.resolve(version));
          Hypercore core = store.open(Ed25519.fromSeed(new byte[32]))) {
        core.append(blocks);
        Hyperbee<String, String> bee = Hyperbee.open(core, Encoding.UTF8, Encoding.UTF8);
        Map<String, String> actual = new LinkedHashMap<>();
        bee.range(Range.all()).forEach(e -> actual.put(e.key(), e.value()));
        Map<String, String> want = new LinkedHashMap<>();
        expected.get("expected").fields().forEachRemaining(f -> want.put(f.getKey(), f.getValue().asText()));
        assertEquals(want, actual);
        assertEquals(List.copyOf(want.keySet()), List.copyOf(actual.keySet()));
        assertEquals(expected.get("count").asInt(), actual.size());
        for (Map.Entry<String, String> e : want.entrySet()) {
          assertEquals(e.getValue(), bee.get(e.getKey()).orElseThrow().value(), e.getKey());
        }
        assertTrue(bee.get("key-0010").isEmpty());
        assertEquals("A", bee.sub("users").get("alice").orElseThrow().value());
        assertEquals(List.of("alice", "bob"), bee.sub("users").range(Range.all()).stream().map(Entry::key).toList());
        Hyperbee<String, String> old = bee.checkout(301);
        assertEquals(300, old.range(Range.all()).size());
      }
    }
  }
}
