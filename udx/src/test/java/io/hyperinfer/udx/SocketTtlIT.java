package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Per-send TTL (holepunching's low-TTL probes), observed on the receiving side with IP_RECVTTL. */
@Timeout(30)
class SocketTtlIT {
  private final Udx udx = Udx.create();
  private int systemDefault;

  @BeforeEach
  void linuxOnly() throws Exception {
    assumeTrue(System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"),
        "SKIPPED LOUDLY: per-send TTL is implemented for Linux only");
    // readAllLines: Files.readString of this /proc file returned only its first byte on JDK 25
    systemDefault = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_default_ttl")).get(0).trim());
  }

  @AfterEach
  void close() {
    udx.close();
  }

  @Test
  void shouldSendWithTheChosenTtlAndThenTheDefaultAgainWhenBoundToLoopback() throws Throwable {
    checkTtls(udx.createSocket().bind());
  }

  @Test
  void shouldSendWithTheChosenTtlWhenBoundToTheWildcardAddress() throws Throwable {
    checkTtls(udx.createSocket().bind(new InetSocketAddress(0)));
  }

  @Test
  void shouldKeepStreamPacketsAtTheDefaultTtlAfterALowTtlSend() throws Throwable {
    UdxSocket socket = udx.createSocket().bind();
    UdxSocket peer = udx.createSocket().bind();
    try (TtlReceiver receiver = new TtlReceiver()) {
      socket.send(new byte[] {1}, new InetSocketAddress("127.0.0.1", receiver.port()), 3);
      assertEquals(3, receiver.receiveTtl());
      UdxStream a = udx.createStream();
      UdxStream b = udx.createStream();
      a.connect(socket, b.id(), peer.localAddress());
      b.connect(peer, a.id(), socket.localAddress());
      a.write(new byte[] {42});
      assertArrayEquals(new byte[] {42}, b.read());
      socket.send(new byte[] {2}, new InetSocketAddress("127.0.0.1", receiver.port()));
      assertEquals(systemDefault, receiver.receiveTtl());
    }
  }

  @Test
  void shouldRejectTtlOutOfRange() {
    UdxSocket socket = udx.createSocket().bind();
    InetSocketAddress to = socket.localAddress();
    assertEquals(UdxException.Code.BAD_ARGUMENT,
        assertThrows(UdxException.class, () -> socket.send(new byte[1], to, 0)).code());
    assertEquals(UdxException.Code.BAD_ARGUMENT,
        assertThrows(UdxException.class, () -> socket.send(new byte[1], to, 256)).code());
  }

  private void checkTtls(UdxSocket socket) throws Throwable {
    try (TtlReceiver receiver = new TtlReceiver()) {
      InetSocketAddress to = new InetSocketAddress("127.0.0.1", receiver.port());
      socket.send(new byte[] {1}, to, 5);
      assertEquals(5, receiver.receiveTtl());
      socket.send(new byte[] {2}, to);
      assertEquals(systemDefault, receiver.receiveTtl());
      socket.send(new byte[] {3}, to, 1);
      assertEquals(1, receiver.receiveTtl());
      socket.send(new byte[] {4}, to, 255);
      assertEquals(255, receiver.receiveTtl());
    }
  }
}
