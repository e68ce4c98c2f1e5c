package io.hyperinfer.udx.bench;

import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.nio.file.Path;
import java.time.Duration;

/** Java against a udx-native peer (the interop test peer script) on loopback. */
final class JavaJsBench {
  private static final Path PEER = ProjectPaths.root().resolve("udx/src/test/js/peer.js");
  private static final Duration WAIT = Duration.ofMinutes(2);

  private JavaJsBench() {}

  private interface Body {
    double run(UdxStream stream, JsProcess js) throws Exception;
  }

  private static double withPeer(String mode, Body body) throws Exception {
    try (Udx udx = Udx.create()) {
      UdxSocket socket = udx.createSocket().bind();
      UdxStream stream = udx.createStream();
      int jsId = stream.id() + 1;
      try (JsProcess js = JsPeers.start(PEER, Integer.toUnsignedString(jsId), mode)) {
        int port = Integer.parseInt(js.awaitLine(l -> l.startsWith("ready"), WAIT).split(" ")[1]);
        stream.connect(socket, jsId, UdxBench.loopback(port));
        js.send("connect " + Integer.toUnsignedString(stream.id()) + " " + socket.localAddress().getPort());
        js.awaitLine("connected"::equals, WAIT);
        return body.run(stream, js);
      }
    }
  }

  static double toJs(int bytes) throws Exception {
    return withPeer("sink", (stream, js) -> {
      long start = System.nanoTime();
      Transfer.writeBulk(stream, bytes);
      stream.end();
      js.awaitLine(l -> l.startsWith("hash"), WAIT);
      double mbps = bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
      System.err.println("  java sender " + stream.stats());
      return mbps;
    });
  }

  static double fromJs(int bytes) throws Exception {
    return withPeer("source", (stream, js) -> {
      long start = System.nanoTime();
      js.send("source " + bytes);
      Transfer.drain(stream, bytes);
      return bytes / ((System.nanoTime() - start) / 1e9) / 1e6;
    });
  }

  static double roundTrips(int count) throws Exception {
    return withPeer("echo", (stream, js) -> Transfer.pingPong(stream, count));
  }
}
