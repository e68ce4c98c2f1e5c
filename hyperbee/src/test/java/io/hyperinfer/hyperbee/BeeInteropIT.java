package io.hyperinfer.hyperbee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.hypercore.Hypercore;
import io.hyperinfer.hypercore.HypercoreStore;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BeeInteropIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private static JsonNode run(String mode, Path file) throws IOException {
    try (JsProcess js = JsPeers.start(ProjectPaths.root().resolve("hyperbee/src/test/js/bee-interop.js"), mode,
        file.toString())) {
      String line = js.awaitLine(l -> l.startsWith("RESULT ") || l.startsWith("ERROR "), Duration.ofSeconds(90));
      assertFalse(line.startsWith("ERROR "), line + "\n" + js.stderr());
      return JSON.readTree(line.substring(7));
    }
  }

  private static List<List<String>> pairs(JsonNode array) {
    List<List<String>> out = new ArrayList<>();
    array.forEach(p -> out.add(List.of(p.get(0).asText(), p.get(1).asText())));
    return out;
  }

  @Test
  @Timeout(180)
  void shouldBeReadByJsHyperbeeWhenWrittenByJava() throws IOException {
    TreeMap<String, String> model = new TreeMap<>();
    Path file = dir.resolve("java.blocks");
    try (HypercoreStore store = HypercoreStore.open(dir.resolve("store"));
        Hypercore core = store.open(Ed25519.fromSeed(new byte[32]))) {
      Hyperbee<String, String> bee = Hyperbee.open(core, Encoding.UTF8, Encoding.UTF8);
      for (int i = 0; i < 300; i++) {
        String k = "k" + String.format("%03d", (i * 7919) % 300);
        bee.put(k, "val" + i);
        model.put(k, "val" + i);
      }
      for (int i = 0; i < 300; i += 7) {
        String k = "k" + String.format("%03d", i);
        bee.del(k);
        model.remove(k);
      }
      try (Batch<String, String> batch = bee.batch()) {
        for (int i = 0; i < 25; i++) {
          batch.put("b" + i, "batched" + i);
          model.put("b" + i, "batched" + i);
        }
        batch.del("k001");
        model.remove("k001");
        batch.flush();
      }
      bee.sub("users").put("alice", "A");
      bee.sub("users").put("bob", "B");
      model.put("users\0alice", "A");
      model.put("users\0bob", "B");
      bee.sub("docs", Encoding.UTF8, Encoding.JSON).put("one", JSON.readTree("{\"n\":1,\"s\":\"x\"}"));
      model.put("docs\0one", "{\"n\":1,\"s\":\"x\"}");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (long i = 0; i < core.length(); i++) {
        byte[] block = core.get(i);
        out.writeBytes(ByteBuffer.allocate(4).putInt(block.length).array());
        out.writeBytes(block);
      }
      Files.write(file, out.toByteArray());
      JsonNode js = run("read", file);
      List<List<String>> want = model.entrySet().stream().map(e -> List.of(e.getKey(), e.getValue())).toList();
      assertEquals(want, pairs(js.get("entries")));
      assertEquals(List.of("k199", "k198", "k197", "k195", "k194"),
          JSON.convertValue(js.get("reversed"), List.class));
      assertEquals(List.of(List.of("alice", "A"), List.of("bob", "B")), pairs(js.get("users")));
      assertEquals(model.get("k042"), js.get("k042").isNull() ? null : js.get("k042").asText());
      assertEquals(1, js.at("/json/n").asInt());
      assertEquals(core.length(), js.get("version").asLong());
    }
  }

  @Test
  @Timeout(180)
  void shouldReadInJavaWhenWrittenByJsHyperbee() throws IOException {
    Path file = dir.resolve("js.blocks");
    JsonNode js = run("write", file);
    ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(file));
    List<byte[]> blocks = new ArrayList<>();
    while (raw.hasRemaining()) {
      byte[] block = new byte[raw.getInt()];
      raw.get(block);
      blocks.add(block);
    }
    try (HypercoreStore store = HypercoreStore.open(dir.resolve("store"));
        Hypercore core = store.open(Ed25519.fromSeed(new byte[32]))) {
      core.append(blocks);
      Hyperbee<String, String> bee = Hyperbee.open(core, Encoding.UTF8, Encoding.UTF8);
      List<List<String>> mine = bee.range(Range.all()).stream().map(e -> List.of(e.key(), e.value())).toList();
      assertEquals(pairs(js.get("entries")), mine);
      assertEquals("C", bee.sub("users").get("carol").orElseThrow().value());
      bee.put("j999", "java after js");
      assertEquals("java after js", bee.get("j999").orElseThrow().value());
    }
  }
}
