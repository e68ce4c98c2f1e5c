package io.hyperinfer.app.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.QueryResult;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import io.hyperinfer.hyperdht.LookupResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code hyperinfer dht bootstrap} and {@code dht node} as processes from the packaged jar, run the way the
 * ./hyperinfer script runs them: they print {@code listening on HOST:PORT} first, serve a Java client's records,
 * and exit 0 with their sockets closed on SIGTERM and on Ctrl-C (SIGINT).
 */
@Order(6) // app/pom.xml: the run order of the two test threads
@Timeout(180)
class DhtCommandsJarIT {
  private static final long WAIT_SECONDS = 60;
  private final List<Node> started = new ArrayList<>();

  /** One launched command, its stdout lines queued. */
  private static final class Node {
    final Process process;
    final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Node(Process process) {
      this.process = process;
      // a platform thread: a virtual one blocked in a pipe read pins its carrier (see Child)
      Thread.ofPlatform().daemon().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            lines.add(l);
          }
        } catch (IOException ignored) {
          // the process is gone
        }
      });
    }

    String next() throws InterruptedException {
      String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      if (line == null) {
        throw new AssertionError("no output; stderr: " + stderr());
      }
      return line;
    }

    String stderr() {
      try {
        return process.isAlive() ? "(running)" : new String(process.getErrorStream().readAllBytes(),
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        return e.toString();
      }
    }

    HostPort listening() throws InterruptedException {
      String first = next();
      assertTrue(first.startsWith("listening on "), "first line: " + first);
      String[] hp = first.substring("listening on ".length()).split(":");
      return new HostPort(hp[0], Integer.parseInt(hp[1]));
    }

    int exit() throws InterruptedException {
      assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "did not stop");
      return process.exitValue();
    }
  }

  private Node launch(String... args) throws IOException {
    Path jar = Path.of("target", "hyperinfer.jar").toAbsolutePath();
    assertTrue(Files.isRegularFile(jar), "package should have built " + jar);
    String java = ProcessHandle.current().info().command().orElse("java");
    // C1 and the serial collector, as TestLaunchers' children: three JVMs starting at once, each a few seconds.
    List<String> command = new ArrayList<>(interruptible());
    command.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(Arrays.asList(args));
    Node node = new Node(new ProcessBuilder(command).start());
    started.add(node);
    return node;
  }

  /**
   * A tier started in the background by a non-interactive shell runs with SIGINT ignored, and children inherit that,
   * so the Ctrl-C test could never stop its node; coreutils' env puts the default action back for the child only.
   */
  private static List<String> interruptible() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) {
      return List.of();
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith("SigIgn:") && (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2) != 0) {
        return List.of("env", "--default-signal=INT");
      }
    }
    return List.of();
  }

  @AfterEach
  void killLeftovers() {
    for (Node n : started) {
      n.process.destroyForcibly();
    }
  }

  private static void assertPortFree(HostPort address) throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(address.host()),
        address.port()))) {
      assertEquals(address.port(), s.getLocalPort());
    }
  }

  private static void interrupt(Node node) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-INT", Long.toString(node.process.pid())).start();
    assertEquals(0, kill.waitFor());
  }

  @Test
  void shouldServeRecordsAndStopCleanlyWhenRunAsProcesses() throws Exception {
    Node boot = launch("dht", "bootstrap", "--host", "127.0.0.1", "--port", "0");
    HostPort bootAddress = boot.listening();
    assertTrue(boot.next().startsWith("persistent id "), "a bootstrapper has an id from the start");
    String join = bootAddress.host() + ":" + bootAddress.port();
    Node first = launch("dht", "node", "--host", "127.0.0.1", "--bootstrap", join);
    Node second = launch("dht", "node", "--bootstrap", join, "--port", "0");
    HostPort firstAddress = first.listening();
    second.listening();
    assertTrue(first.next().startsWith("persistent id "));
    assertTrue(second.next().startsWith("persistent id "));

    KeyPair keys = HyperDhtCrypto.keyPair();
    byte[] topic = HyperDhtCrypto.hash("launcher".getBytes(StandardCharsets.UTF_8));
    try (HyperDht client = HyperDht.create(HyperDhtOptions.DEFAULT.withHost("127.0.0.1")
        .withBootstrap(List.of(bootAddress)))) {
      client.ready().get(WAIT_SECONDS, TimeUnit.SECONDS);
      client.announce(topic, keys, List.of()).finished().get(WAIT_SECONDS, TimeUnit.SECONDS);
      QueryResult<LookupResult> found = client.lookup(topic).finished().get(WAIT_SECONDS, TimeUnit.SECONDS);
      long holders = found.replies().stream()
          .filter(r -> r.peers().stream().anyMatch(p -> Arrays.equals(p.publicKey(), keys.publicKey()))).count();
      assertEquals(3, holders, "the bootstrapper and both nodes store the record");
    }

    first.process.toHandle().destroy(); // SIGTERM, leaving our end of its stdout open (Process.destroy closes it)
    assertEquals(0, first.exit(), first.stderr());
    assertEquals("stopped", first.next());
    assertPortFree(firstAddress);
    interrupt(boot);
    assertEquals(0, boot.exit(), boot.stderr());
    assertPortFree(bootAddress);
    interrupt(second);
    assertEquals(0, second.exit(), second.stderr());
  }

  @Test
  void shouldNameThePortAndExitNonZeroWhenItIsInUse() throws Exception {
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = taken.getLocalPort();
      Node boot = launch("dht", "bootstrap", "--host", "127.0.0.1", "--port", Integer.toString(port));
      assertEquals(1, boot.exit());
      String err = boot.stderr();
      assertTrue(err.startsWith("error: cannot bind 127.0.0.1:" + port + " (port " + port + " in use?)"), err);
      assertEquals(1, err.strip().lines().count(), err);
    }
  }
}
