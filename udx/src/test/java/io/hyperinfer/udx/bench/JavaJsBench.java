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

  /** Java measures, udx-native echoes; Java handles the echoes on its loop ({@code onLoop}) or in a blocked read. */
  static double roundTrips(int count, boolean onLoop) throws Exception {
    return withPeer("echo", (stream, js) -> onLoop ? Transfer.pingPongOnLoop(stream, count)
        : Transfer.pingPong(stream, count));
  }

  /**
   * udx-native against udx-native in two processes, as Java-JS runs: the one-process JS-JS figure has no wakeup
   * between processes at all. Node measures ({@code peer.js rtt}), node echoes.
   */
  static double jsJsRoundTrips(int count) throws Exception {
    try (JsProcess echo = JsPeers.start(PEER, "2", "echo");
        JsProcess measure = JsPeers.start(PEER, "1", "rtt")) {
      int echoPort = Integer.parseInt(echo.awaitLine(l -> l.startsWith("ready"), WAIT).split(" ")[1]);
      int measurePort = Integer.parseInt(measure.awaitLine(l -> l.startsWith("ready"), WAIT).split(" ")[1]);
      echo.send("connect 1 " + measurePort);
      echo.awaitLine("connected"::equals, WAIT);
      measure.send("connect 2 " + echoPort);
      measure.awaitLine("connected"::equals, WAIT);
      measure.send("rtt " + count);
      return Double.parseDouble(measure.awaitLine(l -> l.startsWith("rtt "), WAIT).split(" ")[1]);
    }
  }
}
