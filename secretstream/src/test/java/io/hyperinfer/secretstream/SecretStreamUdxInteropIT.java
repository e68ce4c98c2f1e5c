package io.hyperinfer.secretstream;

import static io.hyperinfer.secretstream.SecretStreamInteropIT.pattern;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxException;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Java against the pinned JS @hyperswarm/secret-stream on udx-native streams on 127.0.0.1 ({@code src/test/js/
 * udx-peer.js}), with each side as initiator: ordered echo, unordered messages both ways, end and destroy.
 */
@Timeout(60)
class SecretStreamUdxInteropIT {
  private static final Path PEER = ProjectPaths.root().resolve("secretstream/src/test/js/udx-peer.js");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int[] SIZES = {0, 1, 64, 65_536, 1 << 20};
  private static final int JAVA_MARKER = 0x1A;
  private static final int JS_MARKER = 0x35;
  private static final HexFormat HEX = HexFormat.of();

  private final Udx udx = Udx.create();
  private final UdxSocket socket = udx.createSocket().bind();
  private final UdxStream raw = udx.createStream();
  private JsProcess js;

  @AfterEach
  void close() {
    if (js != null) {
      js.close();
    }
    udx.close();
  }

  /** Starts the JS peer in the other role and connects the two UDX streams; JS starts its secret stream then. */
  private void connect(boolean javaInitiates) {
    int jsId = raw.id() + 1;
    js = JsPeers.start(PEER, Integer.toUnsignedString(jsId), javaInitiates ? "responder" : "initiator");
    int jsPort = Integer.parseInt(js.awaitLine(l -> l.startsWith("ready "), WAIT).split(" ")[1]);
    raw.connect(socket, jsId, new InetSocketAddress(InetAddress.getLoopbackAddress(), jsPort));
    js.send("connect " + Integer.toUnsignedString(raw.id()) + " " + socket.localAddress().getPort());
    js.awaitLine("connected"::equals, WAIT);
  }

  /** Waits until both the JS secret stream and its UDX stream have closed, failing on any error they report. */
  private void awaitJsCleanClose() {
    Set<String> left = new HashSet<>(Set.of("closed", "raw-closed"));
    while (!left.isEmpty()) {
      String line = js.awaitLine(l -> left.contains(l) || l.startsWith("error") || l.startsWith("raw-error"), WAIT);
      assertFalse(line.contains("error"), "JS peer reported " + line);
      left.remove(line);
    }
  }

  private void echoEverySize(boolean javaInitiates, boolean javaEndsFirst) throws Exception {
    connect(javaInitiates);
    KeyPair keys = Ed25519.generate();
    SecretStream stream = SecretStream.builder(RawStream.of(raw), javaInitiates).keyPair(keys).start();
    for (int size : SIZES) {
      stream.write(pattern(size));
      assertArrayEquals(pattern(size), stream.read(), "echo of " + size);
    }
    String[] open = js.awaitLine(l -> l.startsWith("open "), WAIT).split(" ");
    assertEquals(HEX.formatHex(keys.publicKey()), open[1], "JS's remote public key is ours");
    assertArrayEquals(HEX.parseHex(open[2]), stream.remotePublicKey());
    assertArrayEquals(HEX.parseHex(open[3]), stream.handshakeHash());
    if (javaEndsFirst) {
      stream.end();
      assertNull(stream.read());
    } else {
      js.send("end");
      assertNull(stream.read());
      assertFalse(stream.isClosed(), "only the peer has ended");
      stream.end();
    }
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
    awaitJsCleanClose();
    assertNull(raw.closed().get(10, TimeUnit.SECONDS));
  }

  @Test
  void shouldEchoEverySizeAndAgreeOnKeysWhenJavaInitiatesAndEndsFirst() throws Exception {
    echoEverySize(true, true);
  }

  @Test
  void shouldEchoEverySizeAndAgreeOnKeysWhenJsInitiatesAndEndsFirst() throws Exception {
    echoEverySize(false, false);
  }

  /**
   * Unordered messages ride UDX MESSAGE datagrams, which nothing retransmits, so even on loopback one may be lost
   * to a full socket buffer, and JS gives no delivery signal. What the test can honestly require is that some arrive
   * each way and that every one that arrives is byte for byte one that was sent. Both listeners only see envelopes
   * whose secretbox opened under the handshake's send keys, so each arrival is also authenticated.
   */
  private void exchangeUnordered(boolean javaInitiates) throws Exception {
    connect(javaInitiates);
    LinkedBlockingQueue<byte[]> ordered = new LinkedBlockingQueue<>();
    LinkedBlockingQueue<byte[]> unordered = new LinkedBlockingQueue<>();
    SecretStream stream = SecretStream.builder(RawStream.of(raw), javaInitiates)
        .listener(collect(ordered, unordered)).start();
    // One ordered round trip first, as datagrams that overtake the peer's last handshake frame are dropped.
    stream.write(new byte[] {1});
    assertArrayEquals(new byte[] {1}, ordered.poll(30, TimeUnit.SECONDS));

    List<byte[]> toJs = SecretStreamUdxIT.messages(JAVA_MARKER);
    for (byte[] m : toJs) {
      assertTrue(stream.send(m));
    }
    // An ordered message behind the datagrams on the same path: JS reports it after the datagrams that made it.
    stream.write("after".getBytes());
    List<byte[]> atJs = new ArrayList<>();
    for (String line; (line = js.awaitLine(l -> l.startsWith("message ") || l.startsWith("data 5"), WAIT))
        .startsWith("message "); ) {
      String[] f = line.split(" ", 3);
      atJs.add(HEX.parseHex(f[2]));
      assertEquals(Integer.parseInt(f[1]), atJs.getLast().length);
    }
    assertFalse(atJs.isEmpty(), "no unordered message reached JS");
    SecretStreamUdxIT.assertEachSentOnce(toJs, atJs);
    assertArrayEquals("after".getBytes(), ordered.poll(30, TimeUnit.SECONDS));

    List<byte[]> fromJs = SecretStreamUdxIT.messages(JS_MARKER);
    js.send("send " + SecretStreamUdxIT.UNORDERED_SIZES + " " + JS_MARKER);
    assertArrayEquals("sent".getBytes(), ordered.poll(30, TimeUnit.SECONDS));
    List<byte[]> expected = new ArrayList<>(toJs); // JS answers each one it got with send()
    expected.addAll(fromJs);
    List<byte[]> atJava = SecretStreamUdxIT.assertIntactSubset(expected, unordered);
    assertTrue(atJava.stream().anyMatch(m -> m.length > 0 && m[0] == (byte) JAVA_MARKER), "no echo from JS");
    assertTrue(atJava.stream().anyMatch(m -> m.length > 0 && m[0] == (byte) JS_MARKER), "nothing JS sent first");

    stream.end();
    assertNull(stream.closed().get(10, TimeUnit.SECONDS));
    awaitJsCleanClose();
  }

  @Test
  void shouldExchangeUnorderedMessagesBothWaysWhenJavaInitiates() throws Exception {
    exchangeUnordered(true);
  }

  @Test
  void shouldExchangeUnorderedMessagesBothWaysWhenJsInitiates() throws Exception {
    exchangeUnordered(false);
  }

  @Test
  void shouldResetJsPeerWhenJavaDestroys() throws Exception {
    connect(true);
    SecretStream stream = SecretStream.builder(RawStream.of(raw), true).start();
    stream.write(new byte[] {7});
    assertArrayEquals(new byte[] {7}, stream.read());
    stream.destroy();
    assertEquals("raw-error ECONNRESET", js.awaitLine(l -> l.startsWith("raw-error"), WAIT));
    js.awaitLine("closed"::equals, WAIT);
    assertNull(stream.read());
  }

  @Test
  void shouldFailWithConnectionResetWhenJsDestroys() throws Exception {
    connect(false);
    SecretStream stream = SecretStream.builder(RawStream.of(raw), false).start();
    stream.write(new byte[] {8});
    assertArrayEquals(new byte[] {8}, stream.read());
    js.send("destroy");
    ExecutionException closed = assertThrows(ExecutionException.class,
        () -> stream.closed().get(10, TimeUnit.SECONDS));
    assertEquals(UdxException.Code.ECONNRESET, SecretStreamUdxIT.udxCause(closed).code());
    assertEquals(SecretStreamException.Code.IO_ERROR,
        assertThrows(SecretStreamException.class, stream::read).code());
  }

  private static SecretStreamListener collect(LinkedBlockingQueue<byte[]> ordered,
      LinkedBlockingQueue<byte[]> unordered) {
    return new SecretStreamListener() {
      @Override
      public void onMessage(SecretStream stream, byte[] message) {
        ordered.add(message);
      }

      @Override
      public void onUnorderedMessage(SecretStream stream, byte[] message) {
        unordered.add(message);
      }
    };
  }
}
