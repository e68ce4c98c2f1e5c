package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.udx.UdxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link RpcServer#share}: the channel is named by the side that did not dial, so a shared connection meets a plain
 * client that dialed it and a plain server it dialed (the shapes of a JS @hyperswarm/rpc client and server).
 */
@Timeout(20)
class RpcSharedConnectionTest {
  private final KeyPair a = Ed25519.fromSeed(new byte[32]);
  private final KeyPair b = Ed25519.fromSeed(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17,
      18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32});

  private static final byte[] CAPABILITY = filled(7);
  private static final byte[] WRONG = filled(8);

  private static byte[] filled(int b) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) b);
    return key;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void shouldAnswerAPlainClientWhenThePeerDialedTheSharedConnection() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    RpcServer shared = new RpcServer().respond("who", r -> utf8("shared"));
    RpcClient sharedSide = shared.share(SecretStream.builder(raw[1], false).keyPair(a).start());
    RpcClient plain = RpcClient.start(SecretStream.builder(raw[0], true).keyPair(b), a.publicKey());

    assertArrayEquals(utf8("shared"), plain.call("who", null, Duration.ofSeconds(5)));
    assertArrayEquals(b.publicKey(), sharedSide.connection().session().get(5, TimeUnit.SECONDS).remotePublicKey());
    assertEquals(1, shared.connections().size());
    plain.close();
    sharedSide.closed().get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldCallAPlainServerAndServeItsEventsWhenWeDialedTheSharedConnection() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    RpcServer plain = new RpcServer().respond("ping", r -> {
      r.session().event("seen", r.value());
      return utf8("pong");
    });
    plain.start(SecretStream.builder(raw[1], false).keyPair(b));
    java.util.concurrent.CompletableFuture<byte[]> seen = new java.util.concurrent.CompletableFuture<>();
    RpcServer shared = new RpcServer().respond("seen", r -> {
      seen.complete(r.value());
      return null;
    });
    RpcClient ours = shared.share(SecretStream.builder(raw[0], true).keyPair(a).start());

    assertArrayEquals(utf8("pong"), ours.call("ping", utf8("x"), Duration.ofSeconds(5)));
    assertArrayEquals(utf8("x"), seen.get(5, TimeUnit.SECONDS));
    assertArrayEquals(b.publicKey(), ours.serverPublicKey());
    ours.close();
    plain.connections().forEach(c -> c.session().join().closed().join());
  }

  /** The peer dialed: a plain client proving {@code clientKey} to a shared server requiring {@code serverKey}. */
  private static RpcClient[] plainClientDialingShared(byte[] serverKey, byte[] clientKey, KeyPair server,
      KeyPair client) {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    RpcServer shared = new RpcServer(serverKey, new Capability()).respond("who", r -> utf8("shared"));
    RpcClient sharedSide = shared.share(SecretStream.builder(raw[1], false).keyPair(server).start());
    RpcClient plain = RpcClient.start(SecretStream.builder(raw[0], true).keyPair(client), server.publicKey(),
        clientKey, new Capability());
    return new RpcClient[] {sharedSide, plain};
  }

  @Test
  void shouldAnswerAPlainClientProvingTheCapabilityWhenTheSharedServerRequiresIt() throws Exception {
    RpcClient[] ends = plainClientDialingShared(CAPABILITY, CAPABILITY, a, b);

    assertArrayEquals(utf8("shared"), ends[1].call("who", null, Duration.ofSeconds(5)));
    ends[1].close();
    ends[0].closed().get(5, TimeUnit.SECONDS);
  }

  /** Why {@code client}'s channel never opened: the code its session's {@code opened()} failed with. */
  private static RpcException.Code refusal(RpcClient client) throws Exception {
    RpcSession session = client.connection().session().get(5, TimeUnit.SECONDS);
    ExecutionException e = assertThrows(ExecutionException.class, () -> session.opened().get(5, TimeUnit.SECONDS));
    return assertInstanceOf(RpcException.class, e.getCause()).code();
  }

  @Test
  void shouldRefuseAPlainClientWithAWrongCapabilityWhenTheSharedServerRequiresOne() throws Exception {
    RpcClient[] ends = plainClientDialingShared(CAPABILITY, WRONG, a, b);

    assertEquals(RpcException.Code.INVALID_CAPABILITY, refusal(ends[0]), "the shared server refuses the client");
    assertEquals(RpcException.Code.INVALID_CAPABILITY, refusal(ends[1]), "the client refuses the server's proof");
    assertThrows(RpcException.class, () -> ends[1].call("who", null, Duration.ofSeconds(5)));
    assertThrows(RpcException.class, () -> ends[0].call("who", null, Duration.ofSeconds(5)));
  }

  @Test
  void shouldRefuseAPlainClientWithoutACapabilityWhenTheSharedServerRequiresOne() throws Exception {
    RpcClient[] ends = plainClientDialingShared(CAPABILITY, null, a, b);

    assertEquals(RpcException.Code.INVALID_CAPABILITY, refusal(ends[0]));
    assertThrows(RpcException.class, () -> ends[1].call("who", null, Duration.ofSeconds(5)));
  }

  /** We dialed: a shared server proving {@code sharedKey} calls a plain server requiring {@code plainKey}. */
  private static RpcClient sharedDialingPlain(byte[] sharedKey, byte[] plainKey, KeyPair us, KeyPair them) {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    new RpcServer(plainKey, new Capability()).respond("who", r -> utf8("plain"))
        .start(SecretStream.builder(raw[1], false).keyPair(them));
    return new RpcServer(sharedKey, new Capability()).share(SecretStream.builder(raw[0], true).keyPair(us).start());
  }

  @Test
  void shouldCallAPlainServerRequiringTheCapabilityWhenWeDialedAndProveIt() {
    RpcClient ours = sharedDialingPlain(CAPABILITY, CAPABILITY, a, b);

    assertArrayEquals(utf8("plain"), ours.call("who", null, Duration.ofSeconds(5)));
    ours.close();
  }

  @Test
  void shouldRefuseThePlainServerWeDialedWhenItProvesAnotherCapability() throws Exception {
    RpcClient ours = sharedDialingPlain(CAPABILITY, WRONG, a, b);

    assertEquals(RpcException.Code.INVALID_CAPABILITY, refusal(ours));
    assertThrows(RpcException.class, () -> ours.call("who", null, Duration.ofSeconds(5)));
  }

  @Test
  void shouldCallBothWaysWhenBothSharedEndsProveTheSameCapability() throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    RpcClient dialer = new RpcServer(CAPABILITY, new Capability()).respond("who", r -> utf8("dialer"))
        .share(SecretStream.builder(raw[0], true).keyPair(a).start());
    RpcClient listener = new RpcServer(CAPABILITY, new Capability()).respond("who", r -> utf8("listener"))
        .share(SecretStream.builder(raw[1], false).keyPair(b).start());

    assertArrayEquals(utf8("listener"), dialer.call("who", null, Duration.ofSeconds(5)));
    assertArrayEquals(utf8("dialer"), listener.call("who", null, Duration.ofSeconds(5)));
    dialer.close();
    listener.closed().get(5, TimeUnit.SECONDS);
  }

  /** Our end of a shared connection whose stream is closed by {@code close}, once its session has closed. */
  private RpcConnection sharedClosedBy(java.util.function.BiConsumer<SecretStream, SecretStream> close)
      throws Exception {
    InMemoryRawStream[] raw = InMemoryRawStream.pair();
    SecretStream peer = SecretStream.builder(raw[1], false).keyPair(b).start();
    RpcClient ours = new RpcServer().share(SecretStream.builder(raw[0], true).keyPair(a).start());
    RpcSession session = ours.connection().session().get(5, TimeUnit.SECONDS);
    assertFalse(ours.connection().peerWentSilent());
    close.accept(ours.connection().stream(), peer);
    session.closed().get(5, TimeUnit.SECONDS);
    peer.destroy();
    return ours.connection();
  }

  @Test
  void shouldTellThePeerWentSilentWhenTheStreamTimedOutOrUdxRetransmissionsRanOut() throws Exception {
    assertTrue(sharedClosedBy((ours, peer) -> ours.destroy(
        new SecretStreamException(SecretStreamException.Code.TIMEOUT, "Stream timed out"))).peerWentSilent());
    assertTrue(sharedClosedBy((ours, peer) -> ours.destroy(new SecretStreamException(
        SecretStreamException.Code.IO_ERROR, "raw stream read failed", new IOException("udx read failed",
            UdxException.timedOut("no acks"))))).peerWentSilent());
  }

  @Test
  void shouldNotTellThePeerWentSilentWhenThePeerOrWeClosedTheStream() throws Exception {
    assertFalse(sharedClosedBy((ours, peer) -> peer.destroy()).peerWentSilent());
    assertFalse(sharedClosedBy((ours, peer) -> ours.destroy()).peerWentSilent());
    assertFalse(sharedClosedBy((ours, peer) -> ours.destroy(new SecretStreamException(
        SecretStreamException.Code.IO_ERROR, "raw stream read failed", new IOException("udx read failed",
            UdxException.connectionReset())))).peerWentSilent());
  }
}
