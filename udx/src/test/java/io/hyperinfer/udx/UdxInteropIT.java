package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.testkit.Seeds;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java streams against udx-native 1.21.3 (libudx) on 127.0.0.1, both directions. */
@Timeout(60)
class UdxInteropIT {
  static final Path PEER = ProjectPaths.root().resolve("udx/src/test/js/peer.js");
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Udx udx = Udx.create();
  private final UdxSocket socket = udx.createSocket().bind();
  private JsProcess js;

  @AfterEach
  void close() {
    if (js != null) {
      js.close();
    }
    udx.close();
  }

  /** Starts a JS peer in {@code mode} and connects both ends, optionally through {@code relay}. */
  private UdxStream connect(String mode, LossyRelay relay) throws Exception {
    UdxStream stream = udx.createStream();
    int jsId = stream.id() + 1;
    js = JsPeers.start(PEER, Integer.toUnsignedString(jsId), mode);
    int jsPort = Integer.parseInt(js.awaitLine(l -> l.startsWith("ready"), WAIT).split(" ")[1]);
    InetSocketAddress jsAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(), jsPort);
    if (relay == null) {
      stream.connect(socket, jsId, jsAddress);
      js.send("connect " + Integer.toUnsignedString(stream.id()) + " " + socket.localAddress().getPort());
    } else {
      relay.peers(socket.localAddress(), jsAddress);
      stream.connect(socket, jsId, relay.addressForA());
      js.send("connect " + Integer.toUnsignedString(stream.id()) + " " + relay.addressForB().getPort());
    }
    js.awaitLine("connected"::equals, WAIT);
    return stream;
  }

  static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  private void sendToJs(UdxStream stream, int size, SplittableRandom random) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    byte[] chunk = new byte[1 << 20];
    for (int sent = 0; sent < size; sent += chunk.length) {
      for (int i = 0; i < chunk.length; i += 8) {
        long r = random.nextLong();
        for (int k = 0; k < 8; k++) {
          chunk[i + k] = (byte) (r >>> (8 * k));
        }
      }
      int n = Math.min(chunk.length, size - sent);
      digest.update(chunk, 0, n);
      stream.write(chunk, 0, n);
    }
    stream.end();
    String expected = HexFormat.of().formatHex(digest.digest());
    assertEquals("hash " + expected + " " + size, awaitJs(stream, "hash"));
    assertNull(stream.read(), "JS ends after our END");
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
  }

  /** The JS peer's next line starting with {@code prefix}; on failure, says where our side of the stream stood. */
  private String awaitJs(UdxStream stream, String prefix) {
    try {
      return js.awaitLine(l -> l.startsWith(prefix), WAIT);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\njava stream: " + stream.stats() + ", " + closeState(stream)
          + ", loop errors: " + udx.loopErrors(), e);
    }
  }

  /** Whether our side gave up (ETIMEDOUT after six RTOs in a row, say) or is still waiting for the peer. */
  private static String closeState(UdxStream stream) {
    if (!stream.closed().isDone()) {
      return "open";
    }
    return stream.closed().isCompletedExceptionally()
        ? "closed with " + stream.closed().exceptionNow() : "closed cleanly";
  }

  private void receiveFromJs(UdxStream stream, int size) throws Exception {
    js.send("source " + size);
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    long total = 0;
    for (byte[] chunk; (chunk = stream.read()) != null; ) {
      digest.update(chunk);
      total += chunk.length;
    }
    assertEquals("sent " + HexFormat.of().formatHex(digest.digest()) + " " + size, awaitJs(stream, "sent"));
    assertEquals(size, total);
    stream.end();
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldEchoSmallMessagesWhenTalkingToUdxNative() throws Exception {
    UdxStream stream = connect("echo", null);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      String line = "message " + i + "\n";
      expected.append(line);
      stream.write(line.getBytes());
    }
    stream.end();
    assertEquals(expected.toString(), new String(UdxStreamIT.readAll(stream)));
    js.awaitLine("closed"::equals, WAIT);
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldDeliverOneMebibyteToUdxNative() throws Exception {
    sendToJs(connect("sink", null), 1 << 20, Seeds.random("interop-1m-out"));
  }

  @Test
  void shouldDeliverSixtyFourMebibytesToUdxNative() throws Exception {
    sendToJs(connect("sink", null), 64 << 20, Seeds.random("interop-64m-out"));
  }

  @Test
  void shouldReceiveOneMebibyteFromUdxNative() throws Exception {
    receiveFromJs(connect("source", null), 1 << 20);
  }

  @Test
  void shouldReceiveSixtyFourMebibytesFromUdxNative() throws Exception {
    receiveFromJs(connect("source", null), 64 << 20);
  }

  @Test
  void shouldSeeEofWhenUdxNativeEnds() throws Exception {
    UdxStream stream = connect("sink", null);
    js.send("write 0102");
    assertArrayEquals(new byte[] {1, 2}, stream.read());
    js.send("end");
    assertNull(stream.read());
    stream.end();
    js.awaitLine("closed"::equals, WAIT);
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldResetUdxNativeWhenJavaDestroys() throws Exception {
    UdxStream stream = connect("sink", null);
    stream.write(new byte[] {7});
    js.send("write 07");
    assertArrayEquals(new byte[] {7}, stream.read());
    stream.destroy();
    assertEquals("error ECONNRESET", js.awaitLine(l -> l.startsWith("error"), WAIT));
  }

  @Test
  void shouldFailWithConnectionResetWhenUdxNativeDestroys() throws Exception {
    UdxStream stream = connect("sink", null);
    js.send("write 09");
    assertArrayEquals(new byte[] {9}, stream.read());
    js.send("destroy");
    UdxException e = assertThrows(UdxException.class, stream::read);
    assertEquals(UdxException.Code.ECONNRESET, e.code());
  }

  @Test
  void shouldExchangeMessagesWithUdxNative() throws Exception {
    UdxStream stream = connect("echo", null);
    LinkedBlockingQueue<byte[]> echoed = new LinkedBlockingQueue<>();
    stream.onMessage((s, m) -> echoed.add(m));
    stream.send(new byte[] {(byte) 0xca, (byte) 0xfe});
    assertEquals("message cafe", js.awaitLine(l -> l.startsWith("message"), WAIT));
    assertArrayEquals(new byte[] {(byte) 0xca, (byte) 0xfe}, echoed.poll(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldCompleteByteExactWithUdxNativeThroughLossyRelay() throws Exception {
    for (double loss : new double[] {0.05, 0.10, 0.20}) {
      SplittableRandom random = Seeds.random("interop-lossy-" + loss);
      try (LossyRelay relay = new LossyRelay(random.split(), loss, 0.05, 0.02)) {
        sendToJs(connect("sink", relay), 1 << 20, random);
        js.close();
        receiveFromJs(connect("source", relay), 1 << 20);
        js.close();
        js = null;
      }
    }
  }

  @Test
  void shouldAcceptUdxNativeThroughFirewallWhenNotYetConnected() throws Exception {
    UdxStream server = udx.createStream();
    int jsId = server.id() + 1;
    server.firewall((stream, via, from) -> {
      stream.connect(via, jsId, from);
      return true;
    });
    js = JsPeers.start(PEER, Integer.toUnsignedString(jsId), "echo");
    js.awaitLine(l -> l.startsWith("ready"), WAIT);
    js.send("connect " + Integer.toUnsignedString(server.id()) + " " + socket.localAddress().getPort());
    js.send("write 68656c6c6f");
    assertArrayEquals("hello".getBytes(), server.read());
    server.write("echo".getBytes());
    assertArrayEquals("echo".getBytes(), server.read());
    assertEquals(jsId, server.remoteId());
  }
}
