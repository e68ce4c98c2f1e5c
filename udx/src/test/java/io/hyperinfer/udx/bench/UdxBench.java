package io.hyperinfer.udx.bench;

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
import java.util.SplittableRandom;

/**
 * Loopback benchmark: bulk MB/s and 64-byte round trips per second for Java-Java, JS-JS (udx-native in one node
 * process) and Java-JS, plus Java-Java bulk through a lossy relay. Run as a plain main (see the module README).
 */
public final class UdxBench {
  private static final int BULK = Integer.getInteger("bench.bulk", 256 << 20);
  private static final int LOSSY_BULK = Integer.getInteger("bench.lossyBulk", 32 << 20);
  private static final int ROUND_TRIPS = Integer.getInteger("bench.roundTrips", 20_000);
  private static final Path JS = ProjectPaths.root().resolve("udx/src/test/js");
  private static final Duration WAIT = Duration.ofMinutes(2);

  private UdxBench() {}

  public static void main(String[] args) throws Exception {
    System.out.printf("bulk %d MiB, lossy bulk %d MiB, %d round trips of 64 B%n", BULK >> 20, LOSSY_BULK >> 20,
        ROUND_TRIPS);
    if (Boolean.getBoolean("bench.toJsOnly")) {
      for (int run = 0; run < 3; run++) {
        report("java->js bulk MB/s", JavaJsBench.toJs(BULK));
      }
      System.exit(0);
    }
    if (Boolean.getBoolean("bench.rttOnly")) {
      roundTripRounds(Integer.getInteger("bench.rounds", 5));
      System.exit(0);
    }
    if (Boolean.getBoolean("bench.bulkOnly")) {
      bulkRounds(Integer.getInteger("bench.rounds", 3));
      System.exit(0);
    }
    if (Boolean.getBoolean("bench.javaOnly")) {
      for (int run = 0; run < 3; run++) {
        report("java-java bulk MB/s", javaJavaBulk(BULK, 0));
      }
      System.exit(0);
    }
    for (int run = 0; run < 2; run++) {
      String tag = run == 0 ? "warm-up " : "";
      report(tag + "java-java bulk MB/s", javaJavaBulk(BULK, 0));
      report(tag + "java-java round trips/s, on the loop", javaJavaRoundTrips(true));
      report(tag + "java-java round trips/s, blocking", javaJavaRoundTrips(false));
    }
    report("java-java bulk MB/s, one loop", javaJavaBulkOneLoop(BULK));
    report("js-js bulk MB/s", Double.parseDouble(node("bench.js", "bulk", "" + BULK).split(" ")[1]));
    report("js-js round trips/s", Double.parseDouble(node("bench.js", "rtt", "" + ROUND_TRIPS).split(" ")[1]));
    report("java->js bulk MB/s", JavaJsBench.toJs(BULK));
    report("js->java bulk MB/s", JavaJsBench.fromJs(BULK));
    report("java-js round trips/s, on the loop", JavaJsBench.roundTrips(ROUND_TRIPS, true));
    report("java-js round trips/s, blocking", JavaJsBench.roundTrips(ROUND_TRIPS, false));
    report("js-js round trips/s, two processes", JavaJsBench.jsJsRoundTrips(ROUND_TRIPS));
    report("java-java bulk MB/s at 1% loss", javaJavaBulk(LOSSY_BULK, 0.01));
    report("java-java bulk MB/s at 5% loss", javaJavaBulk(LOSSY_BULK, 0.05));
    System.exit(0);
  }

  /** Every bulk figure without loss, {@code rounds} times interleaved, medians. */
  private static void bulkRounds(int rounds) throws Exception {
    java.util.Map<String, java.util.List<Double>> rates = new java.util.LinkedHashMap<>();
    javaJavaBulk(BULK, 0);
    for (int round = 0; round < rounds; round++) {
      rates.computeIfAbsent("java-java", k -> new java.util.ArrayList<>()).add(javaJavaBulk(BULK, 0));
      rates.computeIfAbsent("java-java, one loop", k -> new java.util.ArrayList<>()).add(javaJavaBulkOneLoop(BULK));
      rates.computeIfAbsent("js-js", k -> new java.util.ArrayList<>())
          .add(Double.parseDouble(node("bench.js", "bulk", "" + BULK).split(" ")[1]));
      rates.computeIfAbsent("java->js", k -> new java.util.ArrayList<>()).add(JavaJsBench.toJs(BULK));
      rates.computeIfAbsent("js->java", k -> new java.util.ArrayList<>()).add(JavaJsBench.fromJs(BULK));
    }
    printMedians("bulk MB/s", rates);
  }

  private static void printMedians(String title, java.util.Map<String, java.util.List<Double>> rates) {
    System.out.printf("%-26s %10s   %s%n", title, "median", "rounds");
    rates.forEach((row, values) -> System.out.printf("%-26s %10.1f   %s%n", row,
        values.stream().sorted().toList().get(values.size() / 2),
        values.stream().map(v -> String.format("%.1f", v)).toList()));
  }

  /** Every round-trip figure, {@code rounds} times interleaved (the load of a shared machine moves), medians. */
  private static void roundTripRounds(int rounds) throws Exception {
    java.util.Map<String, java.util.List<Double>> rates = new java.util.LinkedHashMap<>();
    javaJavaRoundTrips(true);
    javaJavaRoundTrips(false);
    for (int round = 0; round < rounds; round++) {
      rates.computeIfAbsent("java-java, on the loop", k -> new java.util.ArrayList<>()).add(javaJavaRoundTrips(true));
      rates.computeIfAbsent("java-java, blocking", k -> new java.util.ArrayList<>()).add(javaJavaRoundTrips(false));
      rates.computeIfAbsent("js-js, one process", k -> new java.util.ArrayList<>())
          .add(Double.parseDouble(node("bench.js", "rtt", "" + ROUND_TRIPS).split(" ")[1]));
      rates.computeIfAbsent("js-js, two processes", k -> new java.util.ArrayList<>())
          .add(JavaJsBench.jsJsRoundTrips(ROUND_TRIPS));
      rates.computeIfAbsent("java-js, on the loop", k -> new java.util.ArrayList<>())
          .add(JavaJsBench.roundTrips(ROUND_TRIPS, true));
      rates.computeIfAbsent("java-js, blocking", k -> new java.util.ArrayList<>())
          .add(JavaJsBench.roundTrips(ROUND_TRIPS, false));
    }
    printMedians("round trips/s (64 B)", rates);
  }

  private static void report(String what, double value) {
    System.out.printf("%-36s %10.1f%n", what, value);
  }

  private static String node(String script, String... args) {
    try (JsProcess p = JsPeers.start(JS.resolve(script), args)) {
      return p.awaitLine(l -> l.startsWith("bulk") || l.startsWith("rtt"), WAIT);
    }
  }

  /** Two peers, as in two processes: each side's socket on a loop of its own. */
  static double javaJavaBulk(int bytes, double loss) throws Exception {
    try (Udx udx = Udx.create()) {
      UdxSocket a = udx.createSocket().bind();
      UdxSocket b = udx.createSocket(udx.createLoop()).bind();
      UdxStream sa = udx.createStream();
      UdxStream sb = udx.createStream();
      try (BenchRelay relay = loss > 0 ? new BenchRelay(new SplittableRandom(42), loss) : null) {
        InetSocketAddress toB = b.localAddress();
        InetSocketAddress toA = a.localAddress();
        if (relay != null) {
          relay.peers(toA, toB);
          toB = relay.addressForA();
          toA = relay.addressForB();
        }
        sa.connect(a, sb.id(), toB);
        sb.connect(b, sa.id(), toA);
        double mbps = Transfer.run(sa, sb, bytes);
        System.err.println("  sender " + sa.stats() + "\n  receiver " + sb.stats());
        return mbps;
      }
    }
  }

  /** Two streams connected to each other through two sockets of {@code udx} on its default loop. */
  private static UdxStream[] pairOnOneLoop(Udx udx) {
    UdxSocket a = udx.createSocket().bind();
    UdxSocket b = udx.createSocket().bind();
    UdxStream sa = udx.createStream();
    UdxStream sb = udx.createStream();
    sa.connect(a, sb.id(), b.localAddress());
    sb.connect(b, sa.id(), a.localAddress());
    return new UdxStream[] {sa, sb};
  }

  /** Both sides in one loop thread, as JS-JS runs both in one event loop. */
  static double javaJavaBulkOneLoop(int bytes) throws Exception {
    try (Udx udx = Udx.create()) {
      UdxStream[] s = pairOnOneLoop(udx);
      return Transfer.run(s[0], s[1], bytes);
    }
  }

  /**
   * Sequential 64-byte echoes between two sockets of one instance (so one loop thread, as JS-JS in one process):
   * handled on the loop by listeners ({@code onLoop}, the JS shape) or by threads blocked in read.
   */
  static double javaJavaRoundTrips(boolean onLoop) throws Exception {
    try (Udx udx = Udx.create()) {
      UdxStream[] s = pairOnOneLoop(udx);
      UdxStream sa = s[0];
      UdxStream sb = s[1];
      if (onLoop) {
        Transfer.echoOnLoop(sb);
        double r = Transfer.pingPongOnLoop(sa, ROUND_TRIPS);
        sa.destroy();
        return r;
      }
      Thread echo = (Boolean.getBoolean("bench.platformEcho") ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
        try {
          for (byte[] chunk; (chunk = sb.read()) != null; ) {
            sb.write(chunk);
          }
        } catch (UdxException expected) {
          // the measuring side destroys its stream when done, which resets this one
        }
      });
      double r = Transfer.pingPong(sa, ROUND_TRIPS);
      sa.destroy();
      echo.join(1000);
      return r;
    }
  }

  static InetSocketAddress loopback(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }
}
