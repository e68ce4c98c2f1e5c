package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.InMemoryRawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
}
