package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests of Java streams against udx-native 1.21.3 (libudx) on 127.0.0.1 share: a socket of ours, one JS peer
 * per stream ({@code src/test/js/peer.js}), bulk transfers both ways checked by SHA-256. Each test makes its own.
 */
abstract class UdxNativeCase {
  static final Path PEER = ProjectPaths.root().resolve("udx/src/test/js/peer.js");
  static final Duration WAIT = Duration.ofSeconds(30);

  final Udx udx = Udx.create();
  final UdxSocket socket = udx.createSocket().bind();
  JsProcess js;

  @AfterEach
  void close() {
    if (js != null) {
      js.close();
    }
    udx.close();
  }

  /** Starts a JS peer in {@code mode} and connects both ends, optionally through {@code relay}. */
  UdxStream connect(String mode, LossyRelay relay) throws Exception {
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

  void sendToJs(UdxStream stream, int size, SplittableRandom random) throws Exception {
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
  String awaitJs(UdxStream stream, String prefix) {
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

  void receiveFromJs(UdxStream stream, int size) throws Exception {
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
}
