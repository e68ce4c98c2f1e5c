package io.hyperinfer.worker.net.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.rpc.ResponseListener;
import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SwarmTransport#neverTakenUp}: which call that lost its connection before the peer's RPC open reached us goes
 * out again. In memory ({@link HalfOpenConnection}), no sockets.
 */
@Timeout(20)
class SwarmResendTest {
  /** The error of a call left pending on {@code connection}. */
  private static CompletableFuture<RpcException> pendingCall(HalfOpenConnection connection) {
    CompletableFuture<RpcException> error = new CompletableFuture<>();
    connection.client().request("hang", null, Duration.ofSeconds(30), new ResponseListener() {
      @Override
      public void onResponse(byte[] value) {
        error.completeExceptionally(new AssertionError("no answer was sent"));
      }

      @Override
      public void onError(RpcException e) {
        error.complete(e);
      }
    });
    return error;
  }

  @Test
  void shouldNotResendButReportTheConnectionLostWhenThePeerWentSilentBeforeItsOpenArrived() throws Exception {
    HalfOpenConnection connection = HalfOpenConnection.start();
    CompletableFuture<RpcException> call = pendingCall(connection);
    // the peer took the call and crashed before its open left: our idle timeout ends the connection
    connection.timeOut();
    RpcException error = call.get(5, TimeUnit.SECONDS);

    assertEquals(RpcException.Code.CHANNEL_CLOSED, error.code());
    assertFalse(connection.session().isOpened());
    assertFalse(SwarmTransport.neverTakenUp(connection.client(), error));
    assertEquals(NetException.ERR_CONNECTION_LOST,
        RpcErrors.fromWire(error, new PeerRef(connection.peerKeys().publicKey()), "hang").code());
  }

  @Test
  void shouldResendWhenThePeerClosedTheConnectionWithoutOpeningItsChannel() throws Exception {
    HalfOpenConnection connection = HalfOpenConnection.start();
    CompletableFuture<RpcException> call = pendingCall(connection);
    connection.peerCloses(); // the loser of a deduplication
    RpcException error = call.get(5, TimeUnit.SECONDS);

    assertEquals(RpcException.Code.CHANNEL_CLOSED, error.code());
    assertTrue(SwarmTransport.neverTakenUp(connection.client(), error));
  }
}
