package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hyperinfer.rpc.internal.Errors;
import io.hyperinfer.rpc.wire.RpcMessage.WireCause;
import io.hyperinfer.rpc.wire.RpcMessage.WireError;
import org.junit.jupiter.api.Test;

class RpcExceptionTest {

  @Test
  void shouldMapWireCodesWhenKnownOrNot() {
    assertEquals(RpcException.Code.TIMEOUT_EXCEEDED, RpcException.Code.fromWire("TIMEOUT_EXCEEDED"));
    assertEquals(RpcException.Code.APPLICATION, RpcException.Code.fromWire("APPLICATION"));
    assertEquals(RpcException.Code.APPLICATION, RpcException.Code.fromWire("E_OTHER"));
    assertEquals(RpcException.Code.APPLICATION, RpcException.Code.fromWire(null));
  }

  @Test
  void shouldKeepRemoteFieldsWhenDecodedFromWire() {
    RpcException e = Errors.fromWire(new WireError("Could not decode", "DECODE_ERROR", new WireCause("bad", "", null)));
    assertEquals(RpcException.Code.DECODE_ERROR, e.code());
    assertNull(((RpcException) e.getCause()).wireCode());
    RpcException plain = Errors.fromWire(new WireError("odd", null, null));
    assertEquals(RpcException.Code.APPLICATION, plain.code());
    assertNull(plain.wireCode());
    assertEquals("RpcException[APPLICATION]: odd", plain.toString());
    assertEquals("RpcException[E_X]: m", RpcException.application("E_X", "m", null).toString());
  }

  @Test
  void shouldSendOwnCodeAsCauseWhenHandlerThrowsRpcException() {
    WireError wire = Errors.toWire(RpcException.requestError(RpcException.encodeError("cannot", null)));
    assertEquals("REQUEST_ERROR", wire.code());
    assertEquals("ENCODE_ERROR", wire.cause().code());
    assertEquals("cannot", wire.cause().message());
    assertNull(Errors.toWire(RpcException.unknownMethod("m")).cause());
  }
}
