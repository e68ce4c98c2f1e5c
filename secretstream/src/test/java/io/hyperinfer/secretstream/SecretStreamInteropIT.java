package io.hyperinfer.secretstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java against the pinned JS @hyperswarm/secret-stream over TCP on 127.0.0.1, in both roles. */
@Timeout(60)
class SecretStreamInteropIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int[] SIZES = {0, 1, 64, 1024, 65_536, 1 << 20};
  private static final String SIZE_LIST = "0,1,64,1024,65536,1048576";
  private static final HexFormat HEX = HexFormat.of();

  private static Path script() {
    return ProjectPaths.root().resolve("secretstream/src/test/js/echo-peer.js");
  }

  static byte[] pattern(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ((i * 31 + size) & 255);
    }
    return b;
  }

  private static Socket connect(JsProcess js) throws Exception {
    String[] listening = js.awaitLine(l -> l.startsWith("listening "), WAIT).split(" ");
    return new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(listening[1]));
  }

  @Test
  void shouldEchoEverySizeWhenJavaInitiatesToJsResponder() throws Exception {
    try (JsProcess js = JsPeers.start(script(), "server")) {
      KeyPair keys = Ed25519.generate();
      Socket socket = connect(js);
      SecretStream stream = SecretStream.builder(RawStream.of(socket), true).keyPair(keys).start();
      for (int size : SIZES) {
        stream.write(pattern(size));
        assertArrayEquals(pattern(size), stream.read(), "echo of " + size);
      }
      String open = js.awaitLine(l -> l.startsWith("open "), WAIT);
      assertEquals("open " + HEX.formatHex(keys.publicKey()), open);
      stream.end();
      assertNull(stream.read());
      stream.closed().get(30, TimeUnit.SECONDS);
      js.awaitLine("closed"::equals, WAIT);
    }
  }

  @Test
  void shouldEchoEverySizeWhenJsInitiatesToJavaResponder() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      KeyPair keys = Ed25519.generate();
      CompletableFuture<SecretStream> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          Socket socket = server.accept();
          SecretStream stream = SecretStream.builder(RawStream.of(socket), false).keyPair(keys).start();
          for (byte[] m; (m = stream.read()) != null; ) {
            stream.write(m);
          }
          stream.end();
          return stream;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, runnable -> Thread.ofVirtual().start(runnable));
      try (JsProcess js = JsPeers.start(script(), "client", String.valueOf(server.getLocalPort()), SIZE_LIST,
          "end")) {
        String[] open = js.awaitLine(l -> l.startsWith("open "), WAIT).split(" ");
        assertEquals(HEX.formatHex(keys.publicKey()), open[1]);
        for (int size : SIZES) {
          assertEquals("echo-ok " + size + " " + size, js.awaitLine(l -> l.startsWith("echo-"), WAIT));
        }
        js.awaitLine("closed"::equals, WAIT);
        SecretStream stream = accepted.get(30, TimeUnit.SECONDS);
        stream.closed().get(30, TimeUnit.SECONDS);
        assertArrayEquals(HEX.parseHex(open[2]), stream.remotePublicKey());
      }
    }
  }

  @Test
  void shouldEchoWhenBothStartFromTheIkVectorHandshake() throws Exception {
    byte[] responderKey = io.hyperinfer.testkit.Vectors.hex("/noiseIK/responder static = seed 01*32 keypair");
    byte[] initiatorKey = io.hyperinfer.testkit.Vectors.hex("/noiseIK/initiator static = seed 02*32 keypair");
    String hash = HEX.formatHex(io.hyperinfer.testkit.Vectors.hex("/noiseIK/handshakeHash64"));
    try (JsProcess js = JsPeers.start(script(), "server-ik",
        HEX.formatHex(io.hyperinfer.testkit.Vectors.hex("/noiseIK/responderTx")),
        HEX.formatHex(io.hyperinfer.testkit.Vectors.hex("/noiseIK/responderRx")), hash,
        HEX.formatHex(responderKey), HEX.formatHex(initiatorKey))) {
      io.hyperinfer.crypto.noise.HandshakeResult ik = new io.hyperinfer.crypto.noise.HandshakeResult(
          io.hyperinfer.testkit.Vectors.hex("/noiseIK/initiatorTx"),
          io.hyperinfer.testkit.Vectors.hex("/noiseIK/initiatorRx"), HEX.parseHex(hash), initiatorKey, responderKey);
      SecretStream stream = SecretStream.builder(RawStream.of(connect(js)), true).handshake(ik).start();
      stream.write(pattern(300));
      assertArrayEquals(pattern(300), stream.read());
      assertEquals("open " + HEX.formatHex(initiatorKey), js.awaitLine(l -> l.startsWith("open "), WAIT));
      stream.end();
      assertNull(stream.read());
      stream.closed().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldCloseJsPeerWhenJavaDestroys() throws Exception {
    try (JsProcess js = JsPeers.start(script(), "server")) {
      SecretStream stream = SecretStream.builder(RawStream.of(connect(js)), true).start();
      stream.write(new byte[] {1, 2});
      assertArrayEquals(new byte[] {1, 2}, stream.read());
      stream.destroy();
      js.awaitLine("closed"::equals, WAIT);
      assertNull(stream.read());
    }
  }

  @Test
  void shouldSeeEndWhenJsDestroys() throws Exception {
    try (JsProcess js = JsPeers.start(script(), "server")) {
      SecretStream stream = SecretStream.builder(RawStream.of(connect(js)), true).start();
      stream.write(new byte[] {3});
      assertArrayEquals(new byte[] {3}, stream.read());
      js.send("destroy");
      js.awaitLine("closed"::equals, WAIT);
      assertNull(stream.read());
      stream.end();
      stream.closed().handle((v, t) -> null).get(30, TimeUnit.SECONDS);
      assertTrue(stream.isClosed());
    }
  }

  @Test
  void shouldEndJavaResponderWhenJsClientDestroys() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CompletableFuture<SecretStream> accepted = CompletableFuture.supplyAsync(() -> {
        try {
          SecretStream stream = SecretStream.builder(RawStream.of(server.accept()), false).start();
          for (byte[] m; (m = stream.read()) != null; ) {
            stream.write(m);
          }
          return stream;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, runnable -> Thread.ofVirtual().start(runnable));
      try (JsProcess js = JsPeers.start(script(), "client", String.valueOf(server.getLocalPort()), "5",
          "destroy")) {
        assertEquals("echo-ok 5 5", js.awaitLine(l -> l.startsWith("echo-"), WAIT));
        js.awaitLine("closed"::equals, WAIT);
        SecretStream stream = accepted.get(30, TimeUnit.SECONDS);
        stream.end();
        stream.closed().handle((v, t) -> null).get(30, TimeUnit.SECONDS);
        assertTrue(stream.isClosed());
      }
    }
  }
}
