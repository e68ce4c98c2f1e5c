package io.hyperinfer.rpc.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcServer;
import io.hyperinfer.rpc.TcpRpc;
import io.hyperinfer.secretstream.ConnectionLimiter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Issue 18's descriptor-limit probe (a load generator, not a test). It starts a TCP RPC listener in a child JVM
 * limited to {@code ulimit -n 128}, opens up to 1,000 sockets to it from this process (until ten connects time out), so the child's accepts fail with
 * EMFILE while connections wait in its backlog, and reports the child's CPU use over the next seconds (from
 * /proc/PID/stat): an accept loop that spins burns a whole core, one that backs off stays near idle. Then it frees the
 * sockets and checks that the child still answers a call (an accept loop ended by an Error does not). 127.0.0.1 only;
 * stops by itself.
 *
 * <pre>
 * java -cp ... io.hyperinfer.rpc.bench.ListenerFdLimitProbe [seconds, default 5]
 * </pre>
 * It runs twice: with the listener's default caps (which keep it from reaching the limit at all), then with caps too
 * high to matter (so it does, and the accept loop's back-off is what is measured).
 * <pre>
 * </pre>
 */
public final class ListenerFdLimitProbe {
  private ListenerFdLimitProbe() {}

  /**
   * The child: listens (with the default caps, or with caps too high to matter when the first argument is
   * {@code uncapped}, so the descriptor limit is what stops it), prints its port and public key, serves until its
   * stdin closes.
   */
  public static final class Server {
    private Server() {}

    public static void main(String[] args) throws Exception {
      var keys = Ed25519.generate();
      int cap = 100_000;
      TcpRpc.ListenOptions options = args.length > 0 && args[0].equals("uncapped")
          ? TcpRpc.ListenOptions.DEFAULT.withLimits(new ConnectionLimiter.Limits(cap, cap, cap, cap))
          : TcpRpc.ListenOptions.DEFAULT;
      try (TcpRpc.Listener listener = TcpRpc.listen(new RpcServer().respond("echo", r -> r.value()), keys,
          new InetSocketAddress("127.0.0.1", 0), options)) {
        System.out.println(listener.address().getPort() + " " + HexFormat.of().formatHex(keys.publicKey()));
        System.out.flush();
        while (System.in.read() >= 0) {
          // serve until the parent closes our stdin
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    for (String mode : new String[] {"capped", "uncapped"}) {
      probe(seconds, mode);
    }
  }

  private static void probe(int seconds, String mode) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder("bash", "-c",
        "ulimit -n 128; exec \"$0\" --enable-native-access=ALL-UNNAMED -cp \"$1\" \"$2\" \"$3\"",
        java, System.getProperty("java.class.path"), Server.class.getName(), mode)
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String[] hello = new BufferedReader(new InputStreamReader(child.getInputStream())).readLine().split(" ");
      InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(hello[0]));
      List<Socket> sockets = new ArrayList<>();
      int timedOut = 0;
      for (int i = 0; i < 1000 && timedOut < 10; i++) {
        Socket s = new Socket();
        sockets.add(s);
        try {
          s.connect(address, 200);
        } catch (IOException backlogFull) {
          timedOut++; // the child stopped accepting: the point of the probe
        }
      }
      Thread.sleep(500);
      long cpu0 = cpuTicks(child.pid());
      long wall0 = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      double cpu = (cpuTicks(child.pid()) - cpu0) * 10_000_000.0 * 100 / (System.nanoTime() - wall0);
      System.out.printf("%s listener, ulimit -n 128, %d sockets offered: child CPU over %d s = %.1f%% of one core%n",
          mode, sockets.size(), seconds, cpu);
      for (Socket s : sockets) {
        s.close();
      }
      Thread.sleep(2000); // the longest back-off, and then some
      String after;
      try (RpcClient client = TcpRpc.connect(address, HexFormat.of().parseHex(hello[1]), Ed25519.generate())) {
        after = client.call("echo", new byte[] {1}, Duration.ofSeconds(5)).length == 1 ? "yes" : "no";
      } catch (RuntimeException e) {
        after = "no (" + e + ")";
      }
      System.out.println("a call once the sockets are closed succeeds: " + after);
    } finally {
      child.getOutputStream().close();
      if (!child.waitFor(5, TimeUnit.SECONDS)) {
        child.destroyForcibly();
      }
    }
  }

  /** utime + stime of a process, in clock ticks (10 ms). */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }
}
