package io.hyperinfer.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

class HttpHeadTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static HttpHead parse(String s) throws HttpHead.Malformed {
    byte[] b = bytes(s);
    int end = HttpHead.headEnd(b, b.length);
    assertTrue(end > 0, "head should be complete: " + s);
    return HttpHead.parse(b, end);
  }

  @Test
  void shouldReadMethodPathAndHeadersWhenRequestIsWellFormed() throws Exception {
    HttpHead h = parse("GET /metrics?name=x HTTP/1.1\r\nHost: 127.0.0.1:9100\r\nAccept: text/plain\r\n\r\n");
    assertEquals("GET", h.method());
    assertEquals("/metrics", h.path());
    assertEquals("HTTP/1.1", h.version());
    assertEquals("127.0.0.1:9100", h.headers().get("host"));
    assertFalse(h.hasBody());
    HttpHead bare = parse("HEAD /healthz HTTP/1.0\n\n");
    assertEquals("HEAD", bare.method());
    assertTrue(parse("POST /x HTTP/1.1\r\nContent-Length: 3\r\n\r\n").hasBody());
    assertTrue(parse("POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n").hasBody());
    assertFalse(parse("GET /x HTTP/1.1\r\nContent-Length: 0\r\n\r\n").hasBody());
  }

  @Test
  void shouldWaitForBlankLineWhenHeadIsIncomplete() {
    byte[] partial = bytes("GET / HTTP/1.1\r\nHost: x\r\n");
    assertEquals(-1, HttpHead.headEnd(partial, partial.length));
    byte[] done = bytes("GET / HTTP/1.1\r\n\r\nbody");
    assertEquals(18, HttpHead.headEnd(done, done.length));
  }

  @Test
  void shouldFindEndAcrossReadsWhenHeadArrivesByteByByte() {
    byte[] head = bytes("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n{}");
    int found = -1;
    int scanned = 0;
    for (int len = 1; len <= head.length && found < 0; len++) {
      found = HttpHead.headEnd(head, scanned, len);
      scanned = len;
    }
    assertEquals(HttpHead.headEnd(head, head.length), found);
  }

  @Test
  void shouldJoinValuesWhenHeaderRepeats() throws Exception {
    HttpHead h = parse("POST /x HTTP/1.1\r\nContent-Length: 3\r\ncontent-length: 30\r\n\r\n");
    assertEquals("3, 30", h.headers().get("content-length"));
  }

  @Test
  void shouldRejectWhenHeadIsMalformed() {
    for (String bad : List.of("\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/2.0\r\n\r\n", "get / HTTP/1.1\r\n\r\n",
        "GET http://x/ HTTP/1.1\r\n\r\n", "GET  / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
        "GET / HTTP/1.1\r\n folded: x\r\n\r\n", "GET / HTTP/1.1\r\nX: \u0001\r\n\r\n",
        "GET / HTTP/1.1\r\nX: caf\u00e9\r\n\r\n", "VERYLONGMETHODNAMEX / HTTP/1.1\r\n\r\n",
        "GET / HTTP/1.1\r\n" + "H: v\r\n".repeat(HttpHead.MAX_HEADERS + 1) + "\r\n")) {
      byte[] b = bytes(bad);
      int end = HttpHead.headEnd(b, b.length);
      assertThrows(HttpHead.Malformed.class, () -> HttpHead.parse(b, end), bad);
    }
  }

  @Tag("fuzz")
  @Test
  void shouldOnlyEverThrowMalformedWhenHeadsAreRandom() {
    SplittableRandom random = Seeds.random("http-head-fuzz");
    byte[] valid = bytes("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
    int parsed = 0;
    for (int i = 0; i < Seeds.fuzzIterations(); i++) {
      byte[] b = random.nextBoolean() ? Seeds.bytes(random, random.nextInt(64)) : mutate(valid, random);
      int end = HttpHead.headEnd(b, b.length);
      if (end < 0) {
        continue;
      }
      try {
        HttpHead h = HttpHead.parse(b, end);
        assertTrue(h.path().startsWith("/"));
        assertTrue(h.headers().size() <= HttpHead.MAX_HEADERS);
        parsed++;
      } catch (HttpHead.Malformed expected) {
        // refused, as hostile input should be
      }
    }
    assertTrue(parsed > 0, "some mutations should still parse");
  }

  private static byte[] mutate(byte[] valid, SplittableRandom random) {
    byte[] b = valid.clone();
    int flips = 1 + random.nextInt(3);
    for (int i = 0; i < flips; i++) {
      b[random.nextInt(b.length - 4)] = (byte) random.nextInt(256);
    }
    return b;
  }
}
