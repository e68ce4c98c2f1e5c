package io.hyperinfer.worker.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ResponseTest {
  @Test
  void shouldFrameBodyWithLengthAndCloseWhenEncoded() {
    String full = new String(Response.text(200, "ok").encode(false), StandardCharsets.US_ASCII);
    assertTrue(full.startsWith("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\n"),
        full);
    assertTrue(full.contains("Connection: close\r\n\r\nok\n"), full);
    String head = new String(Response.text(405, "no").encode(true), StandardCharsets.US_ASCII);
    assertTrue(head.contains("Allow: GET, HEAD\r\n") && head.endsWith("\r\n\r\n"), head);
    assertEquals("Request Header Fields Too Large", Response.reason(431));
    assertEquals("Status", Response.reason(299));
  }
}
