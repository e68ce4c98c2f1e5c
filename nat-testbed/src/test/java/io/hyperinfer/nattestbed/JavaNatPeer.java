package io.hyperinfer.nattestbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.ConnectOptions;
import io.hyperinfer.hyperdht.ConnectTrace;
import io.hyperinfer.hyperdht.Firewall;
import io.hyperinfer.hyperdht.HolepunchVeto;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtConnection;
import io.hyperinfer.hyperdht.HyperDhtCrypto;
import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.hyperdht.PunchStats;
import io.hyperinfer.hyperdht.RelayThrough;
import io.hyperinfer.hyperdht.ServerOptions;
import io.hyperinfer.secretstream.SecretStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Java peer of the NAT testbed: the peer protocol of {@code testkit/src/main/resources/nat/peer.js} (see
 * docs/NAT-TESTBED.md) on our {@code hyperdht}, run inside a peer namespace as
 * {@code java -cp <test classpath> io.hyperinfer.nattestbed.JavaNatPeer <host> <bootstrapHost:port>}. Every command
 * makes a fresh node bound to {@code host} on a random port, as the JS peer does. Options it reads:
 * {@code localConnection}, {@code fastOpen}, {@code shareLocalAddress}, {@code holepunch: false}, {@code relayThrough}
 * (a blind relay's public key, hex).
 */
public final class JavaNatPeer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final HostPort bootstrap;
  private HyperDht serverNode;
  private HyperDhtServer server;

  private JavaNatPeer(String host, HostPort bootstrap) {
    this.host = host;
    this.bootstrap = bootstrap;
  }

  public static void main(String[] args) throws Exception {
    String[] boot = args[1].split(":");
    JavaNatPeer peer = new JavaNatPeer(args[0], new HostPort(boot[0], Integer.parseInt(boot[1])));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode command = null;
      try {
        command = JSON.readTree(line);
        switch (command.path("cmd").asText()) {
          case "listen" -> peer.listen(command.path("seed").asInt(), command.path("opts"));
          case "connect" -> peer.connect(command.path("publicKey").asText(), command.path("opts"),
              command.path("relayHost").asText(null), command.path("timeoutMs").asLong(20_000));
          case "stats" -> peer.stats();
          default -> throw new IllegalArgumentException("unknown command");
        }
      } catch (Exception e) {
        ObjectNode error = JSON.createObjectNode().put("event", "error")
            .put("cmd", command == null ? null : command.path("cmd").asText())
            .put("error", e instanceof HyperDhtException h ? h.code().name() : String.valueOf(e.getMessage()));
        print(error);
      }
    }
    peer.closeServer();
    System.exit(0);
  }

  private static synchronized void print(ObjectNode event) {
    System.out.println(event.toString());
    System.out.flush();
  }

  private HyperDht freshNode() {
    // a random port per node: no stale conntrack entry of an earlier trial in the NAT routers matches its packets
    int port = 10_000 + ThreadLocalRandom.current().nextInt(50_000);
    HyperDht dht = HyperDht.create(HyperDhtOptions.DEFAULT.withHost(host).withPort(port)
        .withBootstrap(List.of(bootstrap)));
    dht.ready().join();
    return dht;
  }

  private static byte[] keySeed(int n) {
    byte[] seed = new byte[32];
    Arrays.fill(seed, (byte) 0x4e);
    ByteBuffer.wrap(seed).putInt(n);
    return seed;
  }

  /** Both NAT classes as a punch round saw them; the veto hook is where they show, and it never vetoes here. */
  private static final class Seen {
    volatile String local;
    volatile String remote;

    HolepunchVeto recorder(boolean allow) {
      return (remoteFirewall, localFirewall, remoteAddresses, localAddresses) -> {
        local = Firewall.name(localFirewall).toLowerCase(Locale.ROOT);
        remote = Firewall.name(remoteFirewall).toLowerCase(Locale.ROOT);
        return allow;
      };
    }

    ObjectNode json() {
      return JSON.createObjectNode().put("local", local).put("remote", remote);
    }
  }

  private void listen(int seed, JsonNode opts) {
    closeServer();
    long started = System.nanoTime();
    serverNode = freshNode();
    Seen seen = new Seen();
    ServerOptions options = ServerOptions.DEFAULT
        .withShareLocalAddress(opts.path("shareLocalAddress").asBoolean(true))
        .withHolepunch(opts.path("holepunch").asBoolean(true) ? seen.recorder(true) : HolepunchVeto.NEVER)
        .withRelayThrough(relayThrough(opts));
    server = serverNode.createServer(options, connection -> echo(connection, seen));
    server.listen(HyperDhtCrypto.keyPair(keySeed(seed))).join();
    print(JSON.createObjectNode().put("event", "listening")
        .put("publicKey", HexFormat.of().formatHex(server.publicKey()))
        .put("firewalled", serverNode.node().firewalled())
        .put("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)));
  }

  private static void echo(HyperDhtConnection connection, Seen seen) {
    SecretStream s = connection.start();
    ObjectNode event = JSON.createObjectNode().put("event", "connection")
        .put("path", connection.punched() ? "puncher-socket" : "server-socket")
        .put("remote", connection.remoteAddress().host() + ":" + connection.remoteAddress().port());
    event.set("firewall", seen.json());
    print(event);
    byte[] m;
    while ((m = s.read()) != null) {
      s.write(m);
    }
    s.end();
  }

  private void connect(String publicKey, JsonNode opts, String relayHost, long timeoutMs) {
    HyperDht dht = freshNode();
    Seen seen = new Seen();
    ObjectNode result = JSON.createObjectNode().put("event", "result").put("firewalled", dht.node().firewalled());
    CompletableFuture<ConnectTrace> traced = new CompletableFuture<>();
    ConnectOptions options = ConnectOptions.DEFAULT.withTimeout(Duration.ofMillis(timeoutMs))
        .withLocalConnection(opts.path("localConnection").asBoolean(true))
        .withFastOpen(opts.path("fastOpen").asBoolean(true))
        .withHolepunch(seen.recorder(true)) // JS connect ignores holepunch: false (it only calls a function)
        .withTraceSink(traced::complete)
        .withRelayThrough(relayThrough(opts));
    long started = System.nanoTime();
    CompletableFuture<SecretStream> connecting = dht.connect(HexFormat.of().parseHex(publicKey), options, null);
    ConnectTrace[] trace = new ConnectTrace[1];
    try {
      // a second past the connect's own deadline: its failure, which carries the trace, comes first
      SecretStream stream = connecting.get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
      trace[0] = traced.getNow(null);
      result.put("connectMs", millisSince(started));
      stream.write("ping".getBytes(StandardCharsets.UTF_8));
      byte[] echoed = stream.read();
      if (echoed == null) {
        result.put("outcome", "failed").put("error", "NO_ECHO");
      } else {
        result.put("echoMs", millisSince(started));
        ConnectTrace.Path path = trace[0] == null ? null : trace[0].path();
        boolean punched = path == ConnectTrace.Path.PUNCHED;
        boolean relayed = path == ConnectTrace.Path.RELAYED;
        result.put("outcome", relayed ? "relayed" : punched ? "punched" : "direct")
            .put("path", relayed ? "relay" : punched ? "puncher-socket" : path == ConnectTrace.Path.LAN
                ? "server-socket" : "client-socket");
        HostPort remote = trace[0] == null ? null : trace[0].remote();
        result.put("remote", remote == null ? null : remote.host() + ":" + remote.port());
      }
      stream.destroy();
    } catch (TimeoutException e) {
      result.put("outcome", "failed").put("error", "TIMEOUT");
      trace[0] = abandon(connecting, traced, result);
    } catch (Exception e) {
      trace[0] = traced.getNow(null);
      Throwable cause = e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException
          ? e.getCause() : e;
      result.put("outcome", "failed").put("error", cause instanceof HyperDhtException h ? h.code().name()
          : String.valueOf(cause));
    }
    result.put("elapsedMs", millisSince(started));
    PunchStats.Snapshot p = dht.punchStats();
    result.set("punches", JSON.createObjectNode().put("consistent", p.consistent()).put("random", p.random())
        .put("open", p.open()).put("tryLater", p.tryLater()));
    result.set("firewall", seen.json());
    if (trace[0] != null) {
      result.put("trace", trace[0].toString());
    }
    dht.close();
    print(result);
  }

  /**
   * The connect outlived its own deadline: cancelling it ends the attempt (CONNECT_ABORTED), which hands its trace to
   * the sink. When even that does not come, the attempt is stuck: the result says so with the node's threads.
   */
  private static ConnectTrace abandon(CompletableFuture<SecretStream> connecting,
      CompletableFuture<ConnectTrace> traced, ObjectNode result) {
    connecting.cancel(false);
    try {
      return traced.get(2, TimeUnit.SECONDS);
    } catch (Exception stuck) {
      StringBuilder threads = new StringBuilder("no trace: the attempt did not end when cancelled; threads:");
      Thread.getAllStackTraces().forEach((thread, frames) -> {
        if (thread.getName().startsWith("hyperdht") || thread.getName().startsWith("udx")) {
          threads.append(" | ").append(thread.getName()).append(' ').append(thread.getState());
          for (int i = 0; i < Math.min(4, frames.length); i++) {
            threads.append(" < ").append(frames[i]);
          }
        }
      });
      result.put("trace", threads.toString());
      return null;
    }
  }

  private static RelayThrough relayThrough(JsonNode opts) {
    return opts.has("relayThrough") ? RelayThrough.of(HexFormat.of().parseHex(opts.path("relayThrough").asText()))
        : null;
  }

  private static long millisSince(long startedNs) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs);
  }

  private void stats() {
    ObjectNode event = JSON.createObjectNode().put("event", "stats");
    if (serverNode == null) {
      event.putNull("punches");
    } else {
      PunchStats.Snapshot p = serverNode.punchStats();
      event.set("punches", JSON.createObjectNode().put("consistent", p.consistent()).put("random", p.random())
          .put("open", p.open()).put("tryLater", p.tryLater()));
    }
    event.putNull("relaying");
    print(event);
  }

  private void closeServer() {
    if (server != null) {
      server.close();
      server = null;
    }
    if (serverNode != null) {
      serverNode.close();
      serverNode = null;
    }
  }
}
