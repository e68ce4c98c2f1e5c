package io.hyperinfer.worker.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.Json;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class RpcExceptionTest {
  @Test
  void shouldRoundTripWhenSerialisedToWireForm() {
    RpcException e = new RpcException("ERR_QUOTA", "over quota", Json.object().put("limit", 10));
    RpcException back = RpcException.fromJson(Json.parse(Json.toBytes(e.toJson())));
    assertEquals("ERR_QUOTA", back.code());
    assertEquals("over quota", back.getMessage());
    assertEquals(10, back.details().get("limit").asInt());
    assertTrue(back.toString().contains("ERR_QUOTA"));
  }

  @Test
  void shouldBecomeInternalWhenWireFormIsMalformed() {
    assertEquals(RpcException.ERR_INTERNAL, RpcException.fromJson(Json.object().put("code", "oops")).code());
    assertEquals(RpcException.ERR_INTERNAL, RpcException.fromJson(Json.parse("[]")).code());
  }

  @Test
  void shouldRejectCodeWhenNotInErrForm() {
    assertThrows(IllegalArgumentException.class, () -> new RpcException("bad", "m"));
    assertThrows(IllegalArgumentException.class, () -> new RpcException(null, "m"));
  }

  @Test
  void shouldUseStableCodesWhenBuiltByFactories() {
    assertEquals(RpcException.ERR_TIMEOUT, RpcException.timeout("m").code());
    assertEquals(RpcException.ERR_UNKNOWN_METHOD, RpcException.unknownMethod("m").code());
    assertEquals(RpcException.ERR_FORBIDDEN, RpcException.forbidden().code());
    assertEquals(RpcException.ERR_PEER_UNAVAILABLE, RpcException.peerUnavailable("p").code());
    assertEquals(RpcException.ERR_BAD_REQUEST, RpcException.badRequest("b").code());
    assertEquals(RpcException.ERR_CANCELLED, RpcException.cancelled().code());
    assertEquals(RpcException.ERR_NO_PEERS, RpcException.noPeers("t").code());
    assertTrue(new RpcException("ERR_X", "m", null).details().isNull());
  }

  @Test
  void shouldUnwrapRpcErrorWhenWrappedByFutures() {
    RpcException inner = RpcException.forbidden();
    assertEquals(inner, RpcDispatcher.unwrap(new CompletionException(new ExecutionException(inner))));
    assertEquals(RpcException.ERR_INTERNAL, RpcDispatcher.unwrap(new IllegalStateException("x")).code());
    assertEquals(inner, RpcDispatcher.toRpc("m", new CompletionException(inner)));
  }
}
