package io.hyperinfer.hyperdht;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.wire.RelayPair;
import io.hyperinfer.hyperdht.wire.RelayUnpair;
import io.hyperinfer.protomux.Channel;
import io.hyperinfer.protomux.ChannelListener;
import io.hyperinfer.protomux.MessageTransport;
import io.hyperinfer.protomux.Protomux;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamListener;
import io.hyperinfer.udx.UdxStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A relay link against an in-memory relay that behaves as the JS one does: it opens its blind-relay channel the moment
 * the control connection is up, and rejects an open it has no channel for.
 */
class RelayLinkTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final byte[] TOKEN = new byte[32];

  private final KeyPair ours = HyperDhtCrypto.keyPair();
  private final KeyPair relayKeys = HyperDhtCrypto.keyPair();
  private final FakeRelay relay = new FakeRelay(ours.publicKey());
  private final RelayLink.Plan plan = new RelayLink.Plan(relayKeys.publicKey(), TOKEN, true);
  private RelayLink link;

  @AfterEach
  void tearDown() {
    if (link != null) {
      link.destroy("test over");
    }
  }

  private static String failure(RelayLink link) {
    CompletionException e = assertThrows(CompletionException.class, () -> link.paired().join());
    HyperDhtException h = (HyperDhtException) e.getCause();
    assertEquals(HyperDhtException.Code.RELAY_ABORTED, h.code());
    assertTrue(h.getMessage().startsWith("RELAY_ABORTED: "), h.getMessage());
    return h.getMessage().substring("RELAY_ABORTED: ".length());
  }

  @Test
  void shouldPairWhenTheRelaysOpenArrivesBeforeTheDialReturns() {
    link = RelayLink.start(new RelayStats(), ours.publicKey(), plan, 7, relay::dialAndWaitForItsOpen);

    await().atMost(WAIT).until(() -> !relay.requests.isEmpty() || link.paired().isDone());
    assertFalse(link.paired().isDone(), () -> "aborted: " + link.paired().handle((p, e) -> e.getMessage()).join());
    assertEquals(7L, relay.requests.getFirst().id(), "our pairing request reached the relay's channel");
    assertTrue(relay.channel.isOpened());
  }

  @Test
  void shouldSayTheRelayRejectedOurChannelWhenItHadNoneWaiting() {
    relay.openOnConnect = false;
    link = RelayLink.start(new RelayStats(), ours.publicKey(), plan, 7, relay::dial);

    assertTrue(failure(link).startsWith("the relay rejected our blind-relay channel"), failure(link));
  }

  @Test
  void shouldSayTheRelayClosedTheChannelWhenItClosesIt() {
    link = RelayLink.start(new RelayStats(), ours.publicKey(), plan, 7, relay::dial);
    await().atMost(WAIT).until(() -> !relay.requests.isEmpty());

    relay.channel.close();

    assertEquals("the relay closed the blind-relay channel", failure(link));
  }

  @Test
  void shouldSayTheControlStreamEndedOrClosedWhenTheRelayEndsIt() {
    link = RelayLink.start(new RelayStats(), ours.publicKey(), plan, 7, relay::dial);
    await().atMost(WAIT).until(() -> !relay.requests.isEmpty());

    relay.stream.end();

    String why = failure(link);
    // the relay's end arrives as an end, or (the in-memory pipe closing both ways) as a clean close right after it
    assertTrue(why.equals("the relay connection closed: the relay ended the control stream")
        || why.equals("the relay connection closed: the control stream closed"), why);
  }

  @Test
  void shouldSayWhoClosedItWhenOurSideClosesIt() {
    link = RelayLink.start(new RelayStats(), ours.publicKey(), plan, 7, relay::dial);

    link.close("another path won first");

    assertEquals("we closed it: another path won first", failure(link));
  }

  @Test
  void shouldSayTheRelayWasNotReachedWhenTheDialFails() {
    CompletableFuture<SecretStream> never = CompletableFuture.failedFuture(
        HyperDhtException.of(HyperDhtException.Code.PEER_NOT_FOUND, "no record"));
    link = RelayLink.start(new RelayStats(), ours.publicKey(), plan, 7, l -> control(never));

    assertEquals("cannot reach the relay: PEER_NOT_FOUND: no record", failure(link));
  }

  private static RelayLink.Control control(CompletableFuture<SecretStream> result) {
    return new RelayLink.Control() {
      @Override
      public CompletableFuture<SecretStream> result() {
        return result;
      }

      @Override
      public UdxStream rawStream() {
        return null;
      }
    };
  }

  /** The relay's end of the control connection: a protomux with a blind-relay channel for our key, as JS makes it. */
  private final class FakeRelay implements SecretStreamListener, MessageTransport {
    final List<RelayPair> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger delivered = new AtomicInteger();
    final byte[] peerKey;
    final Protomux mux = new Protomux(this);
    volatile boolean openOnConnect = true;
    volatile SecretStream stream;
    volatile Channel channel;

    FakeRelay(byte[] peerKey) {
      this.peerKey = peerKey;
    }

    RelayLink.Control dial(SecretStreamListener listener) {
      return dial(listener, false);
    }

    /** Dials, and returns only once the relay's open reached our end: a dialling thread slower than the network. */
    RelayLink.Control dialAndWaitForItsOpen(SecretStreamListener listener) {
      return dial(listener, true);
    }

    private RelayLink.Control dial(SecretStreamListener listener, boolean waitForOpen) {
      InMemoryRawStream[] raw = InMemoryRawStream.pair();
      SecretStream client = SecretStream.builder(raw[0], true).keyPair(ours).listener(counting(listener)).start();
      SecretStream.builder(raw[1], false).keyPair(relayKeys).listener(this).start();
      if (waitForOpen) {
        await().atMost(WAIT).until(() -> delivered.get() > 0);
      }
      return control(client.opened().thenApply(v -> client));
    }

    private SecretStreamListener counting(SecretStreamListener to) {
      return new SecretStreamListener() {
        @Override
        public void onOpen(SecretStream s) {
          to.onOpen(s);
        }

        @Override
        public void onMessage(SecretStream s, byte[] message) {
          to.onMessage(s, message);
          delivered.incrementAndGet();
        }

        @Override
        public void onEnd(SecretStream s) {
          to.onEnd(s);
        }

        @Override
        public void onClose(SecretStream s, Throwable error) {
          to.onClose(s, error);
        }
      };
    }

    @Override
    public void onOpen(SecretStream s) {
      stream = s;
      if (!openOnConnect) {
        return;
      }
      Channel ch = mux.createChannel(BlindRelayServer.PROTOCOL, peerKey, new ChannelListener() {});
      ch.addMessage(RelayPair.CODEC, (m, c) -> requests.add(m));
      ch.addMessage(RelayUnpair.CODEC, null);
      channel = ch;
      ch.open(null);
    }

    @Override
    public void onMessage(SecretStream s, byte[] message) {
      mux.receive(message);
    }

    @Override
    public void onClose(SecretStream s, Throwable error) {
      mux.onTransportClosed();
    }

    @Override
    public boolean send(byte[] message) {
      stream.write(message);
      return true;
    }

    @Override
    public void close(Throwable cause) {
      stream.destroy();
    }
  }
}
