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

  private static String message(CompletableFuture<Integer> answer) {
    CompletionException e = assertThrows(CompletionException.class, answer::join);
    return e.getCause().getMessage().replaceFirst("^RELAY_ABORTED: ", "");
  }

  @Test
  void shouldSayTheControlStreamClosedWhenItsTransportCloses() {
    MuxStream mux = new MuxStream();
    CompletableFuture<Integer> answer = new BlindRelayClient(mux, new byte[32]).pair(true, new byte[32], 1);

    mux.mux().onTransportClosed();

    assertEquals("the relay channel closed with its control stream", message(answer));
  }

  @Test
  void shouldSayOurProtomuxDroppedTheConnectionWithItsCauseWhenDestroyed() {
    MuxStream mux = new MuxStream();
    CompletableFuture<Integer> answer = new BlindRelayClient(mux, new byte[32]).pair(true, new byte[32], 1);

    mux.mux().receive(new byte[] {0, 2, 9}); // a reject for a channel we never opened

    assertTrue(message(answer).startsWith("the relay channel closed: our protomux dropped the connection: "),
        message(answer));
    assertTrue(message(answer).contains("9"), "names the bad reject: " + message(answer));
    assertTrue(mux.closed().join().startsWith("our protomux dropped it: "));
  }

  @Test
  void shouldSayWeClosedTheChannelWhenClosedHere() {
    BlindRelayClient client = new BlindRelayClient(new MuxStream(), new byte[32]);
    CompletableFuture<Integer> answer = client.pair(true, new byte[32], 1);

    client.close();

    assertEquals("the relay channel closed: we closed it", message(answer));
  }
}
