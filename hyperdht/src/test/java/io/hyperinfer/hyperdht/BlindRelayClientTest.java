package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The pairing client on a control connection that has no stream yet (its messages queue): closing and refusals. */
class BlindRelayClientTest {
  private static HyperDhtException.Code failure(CompletableFuture<Integer> answer) {
    CompletionException e = assertThrows(CompletionException.class, answer::join);
    return ((HyperDhtException) e.getCause()).code();
  }

  @Test
  void shouldFailWaitingAndLaterPairingsWhenClosed() {
    BlindRelayClient client = new BlindRelayClient(new MuxStream(), new byte[32]);
    CompletableFuture<Integer> waiting = client.pair(true, new byte[32], 1);
    assertFalse(waiting.isDone(), "no answer without a relay");

    client.close();

    assertEquals(HyperDhtException.Code.RELAY_ABORTED, failure(waiting));
    assertEquals(HyperDhtException.Code.RELAY_ABORTED, failure(client.pair(true, new byte[32], 2)));
  }

  @Test
  void shouldRefuseASecondPairingForOneToken() {
    BlindRelayClient client = new BlindRelayClient(new MuxStream(), new byte[32]);
    client.pair(false, new byte[32], 1);

    assertEquals(HyperDhtException.Code.RELAY_ABORTED, failure(client.pair(false, new byte[32], 1)));
  }

  @Test
  void shouldFailThePairingAtOnceWhenItsRequestOverflowsTheConnection() {
    MuxStream mux = new MuxStream();
    BlindRelayClient client = new BlindRelayClient(mux, new byte[32]); // its channel open is the first queued message
    for (int i = 1; i < MuxStream.MAX_QUEUED; i++) {
      assertTrue(mux.send(new byte[] {1}), "message " + i + " fits");
    }

    CompletableFuture<Integer> answer = client.pair(true, new byte[32], 1);

    assertEquals(HyperDhtException.Code.RELAY_ABORTED, failure(answer), "not left waiting for an answer never asked");
    assertTrue(mux.closed().isDone(), "the overflowing connection is dropped");
  }

  @Test
  void shouldRefuseToOpenOnADestroyedConnection() {
    MuxStream mux = new MuxStream();
    mux.mux().destroy(null);

    HyperDhtException e = assertThrows(HyperDhtException.class, () -> new BlindRelayClient(mux, new byte[32]));
    assertEquals(HyperDhtException.Code.RELAY_ABORTED, e.code());
  }
}
