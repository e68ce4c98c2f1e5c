package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
      CompletableFuture<SecretStream> echo = CompletableFuture.supplyAsync(() -> {
        try {
          SecretStream s = SecretStream.builder(RawStream.of(server.accept()), false).start();
          for (byte[] m; (m = s.read()) != null; ) {
            s.write(m);
          }
          s.end();
          return s;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, task -> Thread.ofVirtual().start(task));
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
}
