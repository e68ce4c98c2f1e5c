package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.testkit.Seeds;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class StreamFramesTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldWriteTheDocumentedJsonWhenEncoding() {
    assertEquals("{\"stream\":1,\"timeoutMs\":500,\"payload\":{\"a\":1}}",
        new String(StreamFrames.encode(new StreamFrame.Open(1, 500, Json.object().put("a", 1)))));
    assertEquals("{\"stream\":1,\"seq\":0,\"data\":\"x\"}",
        new String(StreamFrames.encode(new StreamFrame.Chunk(1, 0, TextNode.valueOf("x")))));
    assertEquals("{\"stream\":1,\"chunks\":2,\"value\":null}",
        new String(StreamFrames.encode(new StreamFrame.End(1, 2, null))));
    assertEquals("{\"stream\":1}", new String(StreamFrames.encode(new StreamFrame.Cancel(1))));
    assertEquals("ERR_CANCELLED", new StreamFrame.Failed(1, NetException.cancelled()).toJson().get("code").asText());
  }

  @Test
  void shouldReadBackWhatItWroteWhenRoundTripping() {
    StreamFrame.Open open = new StreamFrame.Open(StreamFrames.MAX_ID, 0, TextNode.valueOf("p"));
    assertEquals(open, StreamFrames.open(StreamFrames.encode(open)));
    StreamFrame.Chunk chunk = new StreamFrame.Chunk(3, 4, Json.object().put("text", "hi"));
    assertEquals(chunk, StreamFrames.chunk(StreamFrames.encode(chunk)));
    StreamFrame.End end = new StreamFrame.End(3, 5, TextNode.valueOf("done"));
    assertEquals(end, StreamFrames.end(StreamFrames.encode(end)));
    assertEquals(new StreamFrame.Cancel(8), StreamFrames.cancel(StreamFrames.encode(new StreamFrame.Cancel(8))));
    assertEquals(0, StreamFrames.open(utf8("{\"stream\":2}")).timeoutMs());
    assertTrue(StreamFrames.open(utf8("{\"stream\":2}")).payload().isMissingNode()
        || StreamFrames.open(utf8("{\"stream\":2}")).payload().isNull());
  }

  @Test
  void shouldRefuseMalformedFramesWithTypedErrorsWhenDecoding() {
    for (String bad : List.of("", "null", "[]", "{}", "{\"stream\":-1,\"seq\":0}", "{\"stream\":1,\"seq\":1e400}",
        "{\"stream\":1,\"seq\":\"0\"}", "{\"stream\":1,\"chunks\":9007199254740992}", "{\"stream\":1", "\u0000")) {
      assertEquals(NetException.ERR_BAD_FRAME, assertThrows(NetException.class,
          () -> StreamFrames.chunk(utf8(bad))).code(), bad);
      assertEquals(NetException.ERR_BAD_FRAME, assertThrows(NetException.class,
          () -> StreamFrames.end(utf8(bad))).code(), bad);
      assertEquals(NetException.ERR_BAD_REQUEST, assertThrows(NetException.class,
          () -> StreamFrames.open(utf8(bad.replace("seq", "timeoutMs").replace("chunks", "timeoutMs")))).code(),
          bad);
    }
    assertThrows(NetException.class, () -> new StreamFrame.Chunk(-1, 0, null));
    assertThrows(IllegalArgumentException.class, () -> new StreamFrame.Failed(1, null));
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyEverThrowNetExceptionWhenDecodingRandomInput() {
    SplittableRandom random = Seeds.random("StreamFramesTest.fuzz");
    List<Function<byte[], StreamFrame>> decoders = List.of(StreamFrames::open, StreamFrames::chunk,
        StreamFrames::end, StreamFrames::cancel);
    byte[] valid = StreamFrames.encode(new StreamFrame.Chunk(12, 34, Json.object().put("text", "abc")));
    int decoded = 0;
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      byte[] input = i % 2 == 0 ? Seeds.bytes(random, random.nextInt(64)) : mutate(valid, random);
      try {
        decoders.get(i % decoders.size()).apply(input);
        decoded++;
      } catch (NetException e) {
        assertTrue(e.code().equals(NetException.ERR_BAD_FRAME) || e.code().equals(NetException.ERR_BAD_REQUEST));
      }
    }
    assertTrue(decoded > 0, "some mutations stay valid frames");
  }

  @Test
  void shouldReserveFrameMethodsWhenAskedAboutNames() {
    assertTrue(StreamFrames.isFrameMethod("stream.chunk"));
    assertTrue(StreamFrames.isFrameMethod("stream.cancel"));
    assertFalse(StreamFrames.isFrameMethod("infer"));
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] out = valid.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      out[random.nextInt(out.length)] = (byte) random.nextInt(256);
    }
    return out;
  }
}
