package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.SecretStream;
import java.net.InetSocketAddress;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Over real TCP on 127.0.0.1 with secret-stream framing: a request, response or event larger than one frame fails
 * alone (before, the stream refused the frame and the connection was destroyed), the largest request within
 * {@link RpcSession#MAX_ENCODED} goes through, and the same connection serves the next request.
 */
@Timeout(60)
class RpcFrameLimitTcpIT {
  @Test
  void shouldKeepConnectionUsableWhenMessagesExceedOneFrame() throws Exception {
    KeyPair keyPair = Ed25519.generate();
    LinkedBlockingQueue<Integer> events = new LinkedBlockingQueue<>();
    RpcServer server = new RpcServer()
        .respond("echo", RpcRequest::value)
        .respond("big", r -> new byte[SecretStream.MAX_MESSAGE])
        .respond("ev", r -> {
          events.add(r.value().length);
          return null;
        });
    try (TcpRpc.Listener listener = TcpRpc.listen(server, keyPair, new InetSocketAddress("127.0.0.1", 0));
        RpcClient client = TcpRpc.connect(listener.address(), keyPair.publicKey(), Ed25519.generate())) {
      assertArrayEquals(new byte[] {1}, client.request("echo", new byte[] {1}).get(20, TimeUnit.SECONDS));

      RpcException request = RpcFrameLimitTest.failure(
          client.request("echo", new byte[SecretStream.MAX_MESSAGE]));
      assertEquals(RpcException.Code.ENCODE_ERROR, request.code());
      assertArrayEquals(new byte[] {2}, client.request("echo", new byte[] {2}).get(20, TimeUnit.SECONDS));

      RpcException response = RpcFrameLimitTest.failure(client.request("big", null));
      assertEquals(RpcException.Code.ENCODE_ERROR, response.code());
      assertEquals("Could not encode response", response.getMessage());
      assertArrayEquals(new byte[] {3}, client.request("echo", new byte[] {3}).get(20, TimeUnit.SECONDS));

      RpcException event = assertThrows(RpcException.class,
          () -> client.event("ev", new byte[SecretStream.MAX_MESSAGE]));
      assertEquals(RpcException.Code.ENCODE_ERROR, event.code());
      client.event("ev", new byte[4]);
      assertEquals(4, events.poll(20, TimeUnit.SECONDS));

      byte[] largest = new byte[RpcFrameLimitTest.LARGEST_ECHO]; // request id 5: a one-byte uint, as assumed
      largest[0] = 7;
      assertArrayEquals(largest, client.request("echo", largest).get(30, TimeUnit.SECONDS));
      assertArrayEquals(new byte[] {4}, client.request("echo", new byte[] {4}).get(20, TimeUnit.SECONDS));
      assertFalse(client.isClosed());
      assertEquals(1, server.connections().size());
    }
  }
}
