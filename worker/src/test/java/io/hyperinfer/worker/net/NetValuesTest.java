package io.hyperinfer.worker.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NetValuesTest {
  private static final String HEX = "ab".repeat(32);

  @Test
  void shouldCompareByKeyWhenPeerRefsHoldEqualBytes() {
    PeerRef a = PeerRef.ofHex(HEX);
    byte[] raw = a.publicKey();
    raw[0] = 0;
    assertEquals(a, PeerRef.ofHex(HEX));
    assertEquals(a.hashCode(), PeerRef.ofHex(HEX).hashCode());
    assertNotEquals(a, new PeerRef(raw));
    assertEquals(HEX, a.hex());
    assertTrue(a.toString().contains("abababab"));
    assertThrows(IllegalArgumentException.class, () -> new PeerRef(new byte[31]));
    assertThrows(IllegalArgumentException.class, () -> new PeerRef(null));
  }

  @Test
  void shouldHoldExactlyOneOutcomeWhenPeerReplyIsBuilt() {
    PeerRef p = PeerRef.ofHex(HEX);
    assertTrue(PeerReply.ok(p, TextNode.valueOf("x")).isOk());
    PeerReply failed = PeerReply.failed(p, NetException.internal());
    assertFalse(failed.isOk());
    assertNull(failed.result());
    assertThrows(IllegalArgumentException.class, () -> new PeerReply(p, null, null));
    assertThrows(IllegalArgumentException.class, () -> new PeerReply(p, TextNode.valueOf("x"),
        NetException.internal()));
  }

  @Test
  void shouldValidateWhenRequestOptionsAreBuilt() {
    RequestOptions o = RequestOptions.timeout(Duration.ofSeconds(2)).withAttempts(4);
    assertEquals(Duration.ofSeconds(2), o.timeout());
    assertEquals(4, o.attempts());
    assertEquals(Duration.ofSeconds(1), o.withTimeout(Duration.ofSeconds(1)).timeout());
    assertNull(RequestOptions.DEFAULT.timeout());
    assertThrows(IllegalArgumentException.class, () -> RequestOptions.timeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> RequestOptions.timeout(Duration.ofSeconds(-1)));
    assertThrows(IllegalArgumentException.class, () -> RequestOptions.DEFAULT.withAttempts(-1));
  }

  @Test
  void shouldFireListenersOnceWhenCancelled() {
    CancelSignal signal = new CancelSignal();
    AtomicInteger fired = new AtomicInteger();
    signal.onCancel(fired::incrementAndGet);
    assertFalse(signal.isCancelled());
    assertTrue(signal.cancel());
    assertFalse(signal.cancel());
    assertTrue(signal.isCancelled());
    signal.onCancel(fired::incrementAndGet);
    assertEquals(2, fired.get());
  }

  @Test
  void shouldExposePeerKeyWhenCallIsBuilt() {
    PeerRef p = PeerRef.ofHex(HEX);
    RpcCall call = new RpcCall("m", TextNode.valueOf("x"), p, new CancelSignal());
    assertEquals(HEX, call.remotePublicKeyHex());
    assertEquals(p, new PeerRef(call.remotePublicKey()));
  }
}
