package io.hyperinfer.rpc.bench;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.bench.EchoLoad.Target;
import io.hyperinfer.rpc.udx.UdxRendezvous;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.testkit.JsPeers;
import io.hyperinfer.testkit.JsProcess;
import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Connection scale over the HyperDHT connection stack without the DHT: one server process (Java, then JS) holds
 * {@code connections} secret-stream connections over UDX (one socket) from this load generator (one UDX socket, one
 * loop), each connection calling {@code echo} with 64 bytes once a second for {@code seconds}. Reports the server's
 * resident memory and threads (from /proc) idle, with every connection open, and after the run; its CPU time over
 * the steady run; for the Java server also the live heap after a full GC ({@code jcmd}); and what the clients saw:
 * connect time, call latency percentiles, failures. The same generator drives both servers.
 * Usage: {@code RpcUdxScaleBench [connections=5000] [seconds=30]}.
 */
public final class RpcUdxScaleBench {
  private static final int HANDSHAKES_AT_ONCE = 64;
  private static final long SETTLE_MS = 3000;

  private RpcUdxScaleBench() {}

  private record Sample(long rssKb, int threads, long cpuTicks) {
    static Sample of(long pid) throws IOException {
      long rss = 0;
      int threads = 0;
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
      // /proc/pid/stat: fields after the parenthesised name; utime and stime are the 12th and 13th of those
      String stat = Files.readAllLines(Path.of("/proc/" + pid + "/stat")).get(0);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return new Sample(rss, threads, Long.parseLong(f[11]) + Long.parseLong(f[12]));
    }
  }

  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
    System.out.printf("%d connections, one 64-byte echo per connection per second, %d s%n", connections, seconds);
    Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        RpcUdxEchoBench.class.getName(), "--server").redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      Target target = Target.parse("Java", new BufferedReader(new InputStreamReader(java.getInputStream(),
          StandardCharsets.UTF_8)).readLine());
      run(target, java.pid(), connections, seconds, true);
    } finally {
      java.destroy();
    }
    try (JsProcess js = JsPeers.start(EchoLoad.JS.resolve("rpc-server.js"), "05", "-", "udx")) {
      String line = js.awaitLine(l -> l.startsWith("LISTENING "), EchoLoad.WAIT);
      run(Target.parse("JS", line), Long.parseLong(line.split(" ")[3]), connections, seconds, false);
    }
    System.exit(0);
  }

  private static void run(Target target, long pid, int connections, int seconds, boolean jvm) throws Exception {
    long idleHeap = jvm ? liveHeapKb(pid) : 0;
    Sample idle = Sample.of(pid);
    try (Udx udx = Udx.create()) {
      UdxRendezvous rendezvous = new UdxRendezvous(udx, udx.createSocket().bind());
      long start = System.nanoTime();
      List<RpcClient> clients = connect(rendezvous, target, connections);
      double connectSeconds = (System.nanoTime() - start) / 1e9;
      Thread.sleep(SETTLE_MS);
      Sample open = Sample.of(pid);
      if (jvm) {
        long openHeap = liveHeapKb(pid);
        System.out.printf("%s server: live heap after a full GC %d KiB idle, %d KiB open (%.1f KiB/connection)%n",
            target.name(), idleHeap, openHeap, (openHeap - idleHeap) / (double) connections);
      }
      Load load = new Load(clients, seconds);
      Sample steady = load.run(pid);
      Sample end = Sample.of(pid);
      for (RpcClient c : clients) {
        c.close();
      }
      double cpu = (end.cpuTicks - steady.cpuTicks) / 100.0 / load.elapsedSeconds;
      System.out.printf("%s server: connect %d in %.1f s; RSS idle %d MiB, open %d MiB (%.1f KiB/connection), "
              + "end %d MiB; threads idle %d, open %d, end %d; CPU %.1f%% of one core over %.0f s steady%n",
          target.name(), connections, connectSeconds, idle.rssKb >> 10, open.rssKb >> 10,
          (open.rssKb - idle.rssKb) / (double) connections, end.rssKb >> 10, idle.threads, open.threads,
          end.threads, 100 * cpu, load.elapsedSeconds);
      System.out.printf("%s server: %d calls (%.0f/s), %d failed; latency p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
          target.name(), load.calls(), load.calls() / load.elapsedSeconds, load.failures.get(), load.percentile(0.5),
          load.percentile(0.99), load.percentile(1.0));
    }
  }

  private static List<RpcClient> connect(UdxRendezvous rendezvous, Target target, int connections)
      throws InterruptedException {
    Semaphore slots = new Semaphore(HANDSHAKES_AT_ONCE);
    List<CompletableFuture<RpcClient>> opening = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      slots.acquire();
      CompletableFuture<RpcClient> client = new CompletableFuture<>();
      opening.add(client);
      Thread.startVirtualThread(() -> {
        try {
          UdxStream stream = rendezvous.connect(target.address(), Duration.ofSeconds(20));
          RpcClient c = RpcClient.start(SecretStream.builder(RawStream.of(stream), true)
              .keyPair(Ed25519.generate()), target.publicKey());
          c.call("echo", new byte[EchoLoad.PAYLOAD], Duration.ofSeconds(20));
          client.complete(c);
        } catch (Exception | AssertionError e) {
          client.completeExceptionally(e);
        } finally {
          slots.release();
        }
      });
    }
    List<RpcClient> clients = new ArrayList<>();
    for (CompletableFuture<RpcClient> c : opening) {
      clients.add(c.join());
    }
    return clients;
  }

  /** One virtual thread per connection calling once a second at its own offset in the second. */
  private static final class Load {
    private final List<RpcClient> clients;
    private final int seconds;
    private final long[][] latencies;
    private final AtomicLong failures = new AtomicLong();
    private double elapsedSeconds;
    private long[] sorted;

    Load(List<RpcClient> clients, int seconds) {
      this.clients = clients;
      this.seconds = seconds;
      this.latencies = new long[clients.size()][seconds];
    }

    /** Runs the load; returns the server's sample at its start. */
    Sample run(long pid) throws Exception {
      SplittableRandom random = new SplittableRandom(7);
      long origin = System.nanoTime() + 1_000_000_000L;
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < clients.size(); i++) {
        int index = i;
        long offset = random.nextLong(1_000_000_000L);
        threads.add(Thread.startVirtualThread(() -> callEverySecond(index, origin + offset)));
      }
      LockSupport.parkNanos(origin - System.nanoTime());
      Sample start = Sample.of(pid);
      long t0 = System.nanoTime();
      for (Thread t : threads) {
        t.join();
      }
      elapsedSeconds = (System.nanoTime() - t0) / 1e9;
      sorted = Arrays.stream(latencies).flatMapToLong(Arrays::stream).filter(v -> v > 0).sorted().toArray();
      return start;
    }

    private void callEverySecond(int index, long first) {
      byte[] payload = new byte[EchoLoad.PAYLOAD];
      RpcClient client = clients.get(index);
      for (int s = 0; s < seconds; s++) {
        long due = first + s * 1_000_000_000L;
        LockSupport.parkNanos(due - System.nanoTime());
        long t = System.nanoTime();
        try {
          client.call("echo", payload, Duration.ofSeconds(5));
          latencies[index][s] = System.nanoTime() - t;
        } catch (RuntimeException e) {
          failures.incrementAndGet();
        }
      }
    }

    long calls() {
      return sorted.length;
    }

    double percentile(double p) {
      if (sorted.length == 0) {
        return Double.NaN;
      }
      return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }
  }

  /** The JVM's heap in use right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
  private static long liveHeapKb(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    new ProcessBuilder(jcmd, String.valueOf(pid), "GC.run").redirectErrorStream(true).start().waitFor();
    Process info = new ProcessBuilder(jcmd, String.valueOf(pid), "GC.heap_info").redirectErrorStream(true).start();
    String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    info.waitFor();
    java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(out);
    return used.find() ? Long.parseLong(used.group(1)) : -1;
  }
}
