package io.hyperinfer.worker.net.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.worker.net.PeerRef;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestLogTest {
  private static final PeerRef PEER = PeerRef.ofHex("0123456789abcdef".repeat(4));

  @Test
  void shouldWriteMethodPeerPrefixOutcomeAndMillisWhenEnabled() {
    try (RequestLines lines = new RequestLines()) {
      new RequestLog(true).log("login", PEER, "ERR_TIMEOUT", 12_345_678);
      assertEquals(1, lines.events().size());
      assertEquals("rpc login from 01234567 ERR_TIMEOUT 12.346 ms", lines.events().get(0).getFormattedMessage());
      assertEquals(Map.of("method", "login", "peer", "01234567", "outcome", "ERR_TIMEOUT", "ms", 12.346),
          RequestLines.pairs(lines.events().get(0)));
    }
  }

  @Test
  void shouldWriteNothingWhenDisabled() {
    try (RequestLines lines = new RequestLines()) {
      new RequestLog(false).log("login", PEER, "ok", 1);
      assertEquals(0, lines.events().size());
    }
  }
}
