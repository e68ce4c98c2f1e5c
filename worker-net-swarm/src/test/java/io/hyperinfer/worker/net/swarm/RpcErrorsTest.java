package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.swarm.SwarmException;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class RpcErrorsTest {
  private static final PeerRef PEER = new PeerRef(new byte[32]);

  private static NetException back(RpcException wire) {
    return RpcErrors.fromWire(new CompletionException(RpcException.requestError(wire)), PEER, "m");
  }

  @Test
  void shouldKeepCodeMessageAndDetailsWhenHandlerErrorMakesTheRoundTrip() {
    NetException sent = new NetException("ERR_QUOTA", "over quota", Json.object().put("limit", 3));
    RpcException wire = RpcErrors.toWire(sent);
    assertEquals("ERR_QUOTA", wire.wireCode());
    assertEquals("{\"limit\":3}", wire.context());
    NetException got = back(RpcException.remoteCause(wire.getMessage(), wire.wireCode(), wire.context()));
    assertEquals("ERR_QUOTA", got.code());
    assertEquals("over quota", got.getMessage());
    assertEquals(3, got.details().get("limit").asInt());
  }

  @Test
  void shouldSendNoContextWhenErrorHasNoDetails() {
    assertNull(RpcErrors.toWire(NetException.forbidden()).context());
  }

  @Test
  void shouldKeepContextAsTextWhenItIsNotJson() {
    NetException got = back(RpcException.remoteCause("m", "ERR_X", "plain words"));
    assertEquals("plain words", got.details().asText());
    assertTrue(back(RpcException.remoteCause("m", "ERR_X", "")).details().isNull());
  }

  @Test
  void shouldReadJsFrameworkErrorWhenMessageIsTheCode() {
    NetException got = back(RpcException.remoteCause("ERR_SLOT_TAKEN", null, null));
    assertEquals("ERR_SLOT_TAKEN", got.code());
  }

  @Test
  void shouldAnswerInternalWithBoundedMessageWhenForeignHandlerFails() {
    NetException got = back(RpcException.remoteCause("x".repeat(1000), "EFOO", null));
    assertEquals(NetException.ERR_INTERNAL, got.code());
    assertTrue(got.getMessage().length() <= RpcErrors.MAX_FOREIGN_MESSAGE + 30);
    NetException noCause = RpcErrors.fromWire(RpcException.remote("boom", "REQUEST_ERROR", null), PEER, "m");
    assertEquals(NetException.ERR_INTERNAL, noCause.code());
    NetException nullMessage = back(RpcException.remoteCause(null, null, null));
    assertEquals(NetException.ERR_INTERNAL, nullMessage.code());
  }

  @Test
  void shouldMapApplicationCodeWhenItArrivesWithoutRequestError() {
    NetException got = RpcErrors.fromWire(RpcException.remoteCause("nope", "ERR_NOPE", null), PEER, "m");
    assertEquals("ERR_NOPE", got.code());
  }

  @Test
  void shouldMapRpcCodesToNetCodesWhenTransportFails() {
    assertEquals(NetException.ERR_UNKNOWN_METHOD, code(RpcException.unknownMethod("m")));
    assertEquals(NetException.ERR_TIMEOUT, code(RpcException.timeoutExceeded(5)));
    assertEquals(NetException.ERR_BAD_REQUEST, code(RpcException.encodeError("big", null)));
    assertEquals(NetException.ERR_BAD_REQUEST, code(RpcException.decodeError("bad", null)));
    assertEquals(NetException.ERR_CONNECTION_LOST, code(RpcException.channelClosed()));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, code(RpcException.channelDestroyed()));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, code(RpcException.duplicateChannel()));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, code(RpcException.invalidCapability()));
  }

  @Test
  void shouldNameConnectFailureWhenPeerCannotBeReached() {
    NetException notFound = RpcErrors.fromWire(new ExecutionException(RpcException.channelClosed(
        HyperDhtException.of(HyperDhtException.Code.PEER_NOT_FOUND))), PEER, "m");
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, notFound.code());
    assertEquals("PEER_NOT_FOUND", notFound.details().get("reason").asText());
    assertEquals("REQUEST_TIMEOUT", reason(RpcErrors.unavailable(PEER, DhtException.requestTimeout())));
    assertEquals("IllegalStateException", reason(RpcErrors.fromWire(new IllegalStateException(), PEER, "m")));
    assertEquals("UNKNOWN", reason(RpcErrors.unavailable(PEER, null)));
    assertEquals("CONNECT_TIMEOUT", reason(RpcErrors.unavailable(PEER, new TimeoutException("no connection in 10 s"))),
        "a dial that outlived its wait");
  }

  @Test
  void shouldNameTheSwarmCodeWhenTheSwarmRefusedTheCall() {
    NetException refused = RpcErrors.unavailable(PEER, RpcErrors.unwrap(new CompletionException(
        new SwarmException(SwarmException.Code.BAD_KEY, "a worker does not call itself over the network"))));
    assertEquals(NetException.ERR_PEER_UNAVAILABLE, refused.code());
    assertEquals("BAD_KEY", reason(refused));
    assertTrue(refused.getMessage().contains(PEER.hex()), refused.getMessage());
  }

  private static String reason(NetException e) {
    return e.details().get("reason").asText();
  }

  private static String code(RpcException e) {
    return RpcErrors.fromWire(e, PEER, "m").code();
  }
}
