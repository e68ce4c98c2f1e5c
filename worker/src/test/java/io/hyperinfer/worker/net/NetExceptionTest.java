package io.hyperinfer.worker.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Json;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class NetExceptionTest {
  @Test
  void shouldRoundTripWhenSerialisedToWireForm() {
    NetException e = new NetException("ERR_QUOTA", "over quota", Json.object().put("limit", 10));
    NetException back = NetException.fromJson(Json.parse(Json.toBytes(e.toJson())));
    assertEquals("ERR_QUOTA", back.code());
    assertEquals("over quota", back.getMessage());
    assertEquals(10, back.details().get("limit").asInt());
    assertTrue(back.toString().contains("ERR_QUOTA"));
  }

  @Test
  void shouldBecomeInternalWhenWireFormIsMalformed() {
    assertEquals(NetException.ERR_INTERNAL, NetException.fromJson(Json.object().put("code", "oops")).code());
    assertEquals(NetException.ERR_INTERNAL, NetException.fromJson(Json.parse("[]")).code());
  }

  @Test
  void shouldRejectCodeWhenNotInErrForm() {
    assertThrows(IllegalArgumentException.class, () -> new NetException("bad", "m"));
    assertThrows(IllegalArgumentException.class, () -> new NetException(null, "m"));
  }

  @Test
  void shouldUseStableCodesWhenBuiltByFactories() {
    assertEquals(NetException.ERR_TIMEOUT, NetException.timeout("m").code());
    assertEquals(NetException.ERR_UNKNOWN_METHOD, NetException.unknownMethod("m").code());
    assertEquals(NetException.ERR_FORBIDDEN, NetException.forbidden().code());
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, NetException.peerUnavailable("p").code());
    assertEquals(NetException.ERR_BAD_REQUEST, NetException.badRequest("b").code());
    assertEquals(NetException.ERR_CANCELLED, NetException.cancelled().code());
    assertEquals(NetException.ERR_NO_PEERS, NetException.noPeers("t").code());
    assertTrue(new NetException("ERR_X", "m", null).details().isNull());
  }

  @Test
  void shouldUnwrapNetErrorWhenWrappedByFutures() {
    NetException inner = NetException.forbidden();
    assertEquals(inner, NetException.of(new CompletionException(new ExecutionException(inner))));
    assertEquals(NetException.ERR_INTERNAL, NetException.of(new IllegalStateException("x")).code());
    assertEquals(NetException.ERR_INTERNAL, NetException.of(new CompletionException(null)).code());
  }

  @Test
  void shouldCarryLimitWhenPeerHasTooManyCalls() {
    NetException e = NetException.tooManyRequests(8);
    assertEquals(NetException.ERR_TOO_MANY_REQUESTS, e.code());
    assertEquals(8, e.details().get("limit").asInt());
    assertEquals(NetException.ERR_BAD_FRAME, NetException.badFrame("x").code());
    assertEquals(NetException.ERR_CONNECTION_LOST, NetException.connectionLost("p").code());
  }
}
