package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.protomux.Channel;
import io.hyperinfer.protomux.ChannelListener;
import io.hyperinfer.protomux.Message;
import io.hyperinfer.rpc.wire.RpcCodecs;
import io.hyperinfer.rpc.wire.RpcMessage.Request;
import io.hyperinfer.rpc.wire.RpcMessage.Response;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Malformed values from a peer, unrespond, and transport failures. */
@Timeout(20)
class RpcWireEdgeTest {
  private static final byte[] SERVER_KEY = new byte[32];
  private static final byte[] BAD_OPTIONAL_BUFFER = {5, 1};

  @Test
  void shouldAnswerDecodeErrorWhenRequestValueIsMalformed() throws Exception {
    try (MuxPair pair = new MuxPair()) {
      Responders responders = new Responders().respond("echo", RpcRequest::value).respond("gone", r -> null);
      responders.unrespond("gone");
      new RpcSession(pair.b.mux, SERVER_KEY, null, responders, null, s -> { });
      LinkedBlockingQueue<Response> responses = new LinkedBlockingQueue<>();
      Channel raw = pair.a.mux.createChannel(RpcSession.PROTOCOL, SERVER_KEY, new ChannelListener() { });
      Message<Request> requests = raw.addMessage(RpcCodecs.REQUEST, null);
      raw.addMessage(RpcCodecs.RESPONSE, (response, ch) -> responses.add(response));
      raw.open(null);
      pair.start();
      requests.send(new Request(1, "echo", BAD_OPTIONAL_BUFFER));
      Response response = responses.poll(10, TimeUnit.SECONDS);
      assertEquals("DECODE_ERROR", response.error().code());
      assertEquals("Could not decode request", response.error().message());
      requests.send(new Request(2, "gone", new byte[] {0}));
      assertEquals("UNKNOWN_METHOD", responses.poll(10, TimeUnit.SECONDS).error().code());
    }
  }

  @Test
  void shouldFailWithDecodeErrorWhenResponseValueIsMalformed() throws Exception {
    try (MuxPair pair = new MuxPair()) {
      AtomicReference<Message<Response>> responses = new AtomicReference<>();
      Channel raw = pair.b.mux.createChannel(RpcSession.PROTOCOL, SERVER_KEY, new ChannelListener() { });
      raw.addMessage(RpcCodecs.REQUEST, (request, ch) ->
          responses.get().send(new Response(request.id(), BAD_OPTIONAL_BUFFER, null)));
      responses.set(raw.addMessage(RpcCodecs.RESPONSE, null));
      raw.open(null);
      RpcSession client = new RpcSession(pair.a.mux, SERVER_KEY, null, new Responders(), null, s -> { });
      pair.start();
      CompletableFuture<byte[]> reply = client.request("x", null);
      ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(10, TimeUnit.SECONDS));
      assertEquals(RpcException.Code.DECODE_ERROR, ((RpcException) e.getCause()).code());
      assertEquals("Could not decode response", e.getCause().getMessage());
    }
  }

  @Test
  void shouldFailSessionWhenHandshakeNeverCompletes() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream stream = SecretStream.builder(raw[0], true).start();
    RpcClient client = RpcClient.attach(stream, SERVER_KEY);
    raw[1].destroy();
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> client.request("x", null).get(10, TimeUnit.SECONDS));
    assertEquals(RpcException.Code.CHANNEL_CLOSED, ((RpcException) e.getCause()).code());
  }

  @Test
  void shouldThrowUncheckedWhenTcpPortIsTaken() {
    RpcServer server = new RpcServer().unrespond("nothing");
    try (TcpRpc.Listener listener = TcpRpc.listen(server, Ed25519.generate(), new InetSocketAddress("127.0.0.1", 0))) {
      InetSocketAddress taken = listener.address();
      assertThrows(UncheckedIOException.class, () -> TcpRpc.listen(server, Ed25519.generate(), taken));
    }
  }
}
