package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java to Java over TCP on 127.0.0.1: the same echo the in-memory tests run, on a real socket. */
@Timeout(30)
class SecretStreamTcpIT {
  @Test
  void shouldEchoUpToOneMebibyteWhenBothSidesAreJavaOverTcp() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<SecretStream> echo = echoOne(server, Duration.ZERO);
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      SecretStream client = SecretStream.builder(RawStream.of(socket), true).start();
      for (int size : new int[] {0, 1, 64, 1024, 65_536, 1 << 20}) {
        client.write(SecretStreamInteropIT.pattern(size));
        assertArrayEquals(SecretStreamInteropIT.pattern(size), client.read());
      }
      client.end();
      assertNull(client.read());
      client.closed().get(10, TimeUnit.SECONDS);
      echo.get(10, TimeUnit.SECONDS).closed().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldEchoAndSeeEndWhenReadsSpin() throws Exception {
    Duration spin = Duration.ofMillis(5);
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<SecretStream> echo = echoOne(server, spin);
      Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
      SecretStream client = SecretStream.builder(RawStream.of(socket, spin), true).start();
      for (int i = 0; i < 200; i++) {
        byte[] message = SecretStreamInteropIT.pattern(i * 97);
        client.write(message);
        assertArrayEquals(message, client.read());
      }
      client.end();
      assertNull(client.read());
      client.closed().get(10, TimeUnit.SECONDS);
      echo.get(10, TimeUnit.SECONDS).closed().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldSignalReadCompleteOnceWhenOneReadCarriesSeveralMessages() throws Exception {
    CountDownLatch firstHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch completes = new CountDownLatch(2);
    List<String> events = new CopyOnWriteArrayList<>();
    SecretStreamListener listener = new SecretStreamListener() {
      @Override
      public void onMessage(SecretStream stream, byte[] message) {
        events.add("message " + message.length);
        if (message.length == 1) {
          firstHeld.countDown();
          awaitQuietly(release);
        }
      }

      @Override
      public void onReadComplete(SecretStream stream) {
        events.add("complete");
        completes.countDown();
      }
    };
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
      SecretStream receiver = SecretStream.builder(RawStream.of(server.accept()), false).listener(listener).start();
      SecretStream sender = SecretStream.builder(RawStream.of(socket), true).start();
      sender.write(new byte[1]);
      assertTrue(firstHeld.await(10, TimeUnit.SECONDS));
      // The receiver's reader is held inside the first message, so these three wait together in its socket buffer.
      sender.write(new byte[2]);
      sender.write(new byte[3]);
      sender.write(new byte[4]);
      release.countDown();
      assertTrue(completes.await(10, TimeUnit.SECONDS));
      assertEquals(List.of("message 1", "complete", "message 2", "message 3", "message 4", "complete"), events);
      sender.destroy();
      receiver.destroy();
    }
  }

  /** Accepts one connection and echoes every message until the peer ends, then ends too. */
  private static CompletableFuture<SecretStream> echoOne(ServerSocket server, Duration readSpin) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        SecretStream s = SecretStream.builder(RawStream.of(server.accept(), readSpin), false).start();
        for (byte[] m; (m = s.read()) != null; ) {
          s.write(m);
        }
        s.end();
        return s;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, task -> Thread.ofVirtual().start(task));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
