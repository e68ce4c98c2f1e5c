package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.ResponseListener;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.rpc.RpcServer;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SwarmTransport#neverTakenUp}: which call that lost its connection before the peer's RPC open reached us goes
 * out again. The peer end here is a started secret stream that never opens an RPC channel: from our side, a peer that
 * took the connection and whose open is still on the way, or one that never had a channel. In memory, no sockets.
 */
@Timeout(20)
class SwarmResendTest {
  private final KeyPair ours = Ed25519.fromSeed(new byte[32]);
  private final KeyPair theirs = Ed25519.fromSeed(filled(9));

  private static byte[] filled(int b) {
    byte[] seed = new byte[32];
    java.util.Arrays.fill(seed, (byte) b);
    return seed;
  }

  /** A call pending on our shared connection with a peer that has not opened its RPC channel (yet). */
  private record Pending(RpcClient client, SecretStream stream, SecretStream peer, CompletableFuture<RpcException> error) {}

  private Pending pendingCall() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream peer = SecretStream.builder(raw[1], false).keyPair(theirs).start();
    SecretStream stream = SecretStream.builder(raw[0], true).keyPair(ours).start();
    RpcClient client = new RpcServer().share(stream);
    client.connection().session().get(5, TimeUnit.SECONDS);
    CompletableFuture<RpcException> error = new CompletableFuture<>();
    client.request("hang", null, Duration.ofSeconds(30), new ResponseListener() {
      @Override
      public void onResponse(byte[] value) {
        error.completeExceptionally(new AssertionError("no answer was sent"));
      }

      @Override
      public void onError(RpcException e) {
        error.complete(e);
      }
    });
    return new Pending(client, stream, peer, error);
  }

  @Test
  void shouldNotResendButReportTheConnectionLostWhenThePeerWentSilentBeforeItsOpenArrived() throws Exception {
    Pending call = pendingCall();
    // what the idle timeout does to a connection whose peer crashed after taking the call, its open still unsent
    call.stream().destroy(new SecretStreamException(SecretStreamException.Code.TIMEOUT, "Stream timed out"));
    RpcException error = call.error().get(5, TimeUnit.SECONDS);

    assertEquals(RpcException.Code.CHANNEL_CLOSED, error.code());
    assertFalse(call.client().connection().session().join().isOpened());
    assertFalse(SwarmTransport.neverTakenUp(call.client(), error));
    assertEquals(NetException.ERR_CONNECTION_LOST,
        RpcErrors.fromWire(error, new PeerRef(theirs.publicKey()), "hang").code());
    call.peer().destroy();
  }

  @Test
  void shouldResendWhenThePeerClosedTheConnectionWithoutOpeningItsChannel() throws Exception {
    Pending call = pendingCall();
    // the loser of a deduplication: the peer closes the stream it never used
    call.peer().destroy();
    RpcException error = call.error().get(5, TimeUnit.SECONDS);

    assertEquals(RpcException.Code.CHANNEL_CLOSED, error.code());
    assertTrue(SwarmTransport.neverTakenUp(call.client(), error));
  }
}
