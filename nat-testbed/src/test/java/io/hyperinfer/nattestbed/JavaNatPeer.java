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
import java.util.concurrent.ExecutionException;
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
  /**
   * Limits of the steps that may block (see {@link Bounded}), chosen so a command always answers within the test's
   * wait ({@code NatPeer}: 30 s for listen, the connect timeout plus 30 s for connect).
   */
  private static final Duration READY = Duration.ofSeconds(10);
  private static final Duration LISTEN = Duration.ofSeconds(10);
  private static final Duration CLOSE = Duration.ofSeconds(3);
  private static final Duration ECHO_MIN = Duration.ofSeconds(2);
  private static final Duration COMMAND_SETUP = Duration.ofSeconds(27);
  private static final Duration COMMAND_SLACK = Duration.ofSeconds(25);

  private final String host;
  private final HostPort bootstrap;
  private volatile HyperDht serverNode;
  private volatile HyperDhtServer server;
  private volatile ServerLog serverLog;
  private volatile Reply reply;

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
      if (!line.isBlank()) {
        peer.run(line);
      }
    }
    peer.closeServer();
    System.exit(0);
  }

  /**
   * Runs one command on a thread of its own and answers it within {@link #commandLimit}: a command stuck anywhere,
   * even outside the steps it bounds itself, is answered with {@code COMMAND_TIMEOUT} and the threads' states, and
   * its own answer, should it come later, is dropped (it would be taken for the next command's).
   */
  private void run(String line) {
    Reply answer = new Reply();
    reply = answer;
    JsonNode command = null;
    String cmd = null;
    try {
      JsonNode parsed = JSON.readTree(line);
      command = parsed;
      cmd = parsed.path("cmd").asText();
      Bounded.within("COMMAND_TIMEOUT", commandLimit(parsed), () -> {
        dispatch(parsed);
        return null;
      });
    } catch (Bounded.Stuck stuck) {
      answer.send("connect".equals(cmd) ? JSON.createObjectNode().put("event", "result").put("outcome", "failed")
          .put("error", stuck.code()).put("elapsedMs", commandLimit(command).toMillis()).put("trace", stuck.getMessage())
          : JSON.createObjectNode().put("event", "error").put("cmd", cmd).put("error", stuck.getMessage()));
    } catch (Exception e) {
      answer.send(JSON.createObjectNode().put("event", "error").put("cmd", cmd)
          .put("error", e instanceof HyperDhtException h ? h.code().name() : String.valueOf(e.getMessage())));
    }
  }

  private void dispatch(JsonNode command) throws Exception {
    switch (command.path("cmd").asText()) {
      case "listen" -> listen(command.path("seed").asInt(), command.path("opts"));
      case "connect" -> connect(command.path("publicKey").asText(), command.path("opts"),
          command.path("relayHost").asText(null), command.path("timeoutMs").asLong(20_000));
      case "stats" -> stats();
      default -> throw new IllegalArgumentException("unknown command");
    }
  }

  /** Inside the test's wait for the answer ({@code NatPeer}: 30 s, or the connect timeout plus 30 s). */
  private static Duration commandLimit(JsonNode command) {
    return "connect".equals(command.path("cmd").asText())
        ? Duration.ofMillis(command.path("timeoutMs").asLong(20_000)).plus(COMMAND_SLACK) : COMMAND_SETUP;
  }

  /** The one answer of a command: the first one sent is printed, any later one dropped. Thread-safe. */
  private static final class Reply {
    private boolean sent;

    synchronized void send(ObjectNode event) {
      if (!sent) {
        sent = true;
        print(event);
      }
    }
  }

  private static synchronized void print(ObjectNode event) {
    System.out.println(event.toString());
    System.out.flush();
  }

  private HyperDht freshNode() throws Exception {
    // a random port per node: no stale conntrack entry of an earlier trial in the NAT routers matches its packets
    int port = 10_000 + ThreadLocalRandom.current().nextInt(50_000);
    HyperDht dht = HyperDht.create(HyperDhtOptions.DEFAULT.withHost(host).withPort(port)
        .withBootstrap(List.of(bootstrap)));
    try {
      Bounded.within("READY_TIMEOUT", READY, () -> dht.ready().join());
    } catch (Exception e) {
      dht.close(CLOSE);
      throw e;
    }
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

  private void listen(int seed, JsonNode opts) throws Exception {
    Reply answer = reply;
    String previous = closeServer();
    long started = System.nanoTime();
    serverNode = freshNode();
    Seen seen = new Seen();
    ServerLog log = new ServerLog();
    serverLog = log;
    ServerOptions options = ServerOptions.DEFAULT
        .withShareLocalAddress(opts.path("shareLocalAddress").asBoolean(true))
        .withHolepunch(opts.path("holepunch").asBoolean(true) ? seen.recorder(true) : HolepunchVeto.NEVER)
        .withRelayThrough(relayThrough(opts));
    HyperDhtServer[] self = new HyperDhtServer[1];
    HyperDhtServer s = serverNode.createServer(options, connection -> echo(connection, self[0], seen, log));
    self[0] = s;
    server = s;
    Bounded.within("LISTEN_TIMEOUT", LISTEN, () -> s.listen(HyperDhtCrypto.keyPair(keySeed(seed))).join());
    log.add("listening, relays " + s.relays().size() + ", firewalled " + serverNode.node().firewalled());
    ObjectNode event = JSON.createObjectNode().put("event", "listening")
        .put("publicKey", HexFormat.of().formatHex(s.publicKey()))
        .put("firewalled", serverNode.node().firewalled())
        .put("relays", s.relays().size())
        .put("ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    if (previous != null) {
      event.put("previousServer", previous);
    }
    answer.send(event);
  }

  private static void echo(HyperDhtConnection connection, HyperDhtServer server, Seen seen, ServerLog log) {
    SecretStream s = connection.start();
    ObjectNode event = JSON.createObjectNode().put("event", "connection")
        .put("path", connection.punched() ? "puncher-socket" : "server-socket")
        .put("remote", connection.remoteAddress().host() + ":" + connection.remoteAddress().port());
    event.set("firewall", seen.json());
    print(event);
    log.echo(connection, server, s, () -> seen.json().toString());
  }

  private void connect(String publicKey, JsonNode opts, String relayHost, long timeoutMs) {
    Reply answer = reply;
    long started = System.nanoTime();
    ObjectNode result = JSON.createObjectNode().put("event", "result");
    HyperDht dht;
    try {
      dht = freshNode();
    } catch (Exception e) {
      answer.send(failed(result, e).put("elapsedMs", millisSince(started)));
      return;
    }
    result.put("firewalled", dht.node().firewalled());
    Seen seen = new Seen();
    CompletableFuture<ConnectTrace> traced = new CompletableFuture<>();
    ConnectOptions options = ConnectOptions.DEFAULT.withTimeout(Duration.ofMillis(timeoutMs))
        .withLocalConnection(opts.path("localConnection").asBoolean(true))
        .withFastOpen(opts.path("fastOpen").asBoolean(true))
        .withHolepunch(seen.recorder(true)) // JS connect ignores holepunch: false (it only calls a function)
        .withTraceSink(traced::complete)
        .withRelayThrough(relayThrough(opts));
    long connectStarted = System.nanoTime();
    CompletableFuture<SecretStream> connecting = dht.connect(HexFormat.of().parseHex(publicKey), options, null);
    ConnectTrace[] trace = new ConnectTrace[1];
    SecretStream stream = null;
    try {
      // a second past the connect's own deadline: its failure, which carries the trace, comes first
      stream = connecting.get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
      trace[0] = traced.getNow(null);
      result.put("connectMs", millisSince(connectStarted));
      SecretStream open = stream;
      // as the JS peer: the connect's time limit covers the echo too (at least a little is left for it)
      Duration echoLimit = Duration.ofMillis(Math.max(ECHO_MIN.toMillis(), timeoutMs - millisSince(connectStarted)));
      byte[] echoed = Bounded.within("NO_ECHO_TIMEOUT", echoLimit, () -> {
        open.write("ping".getBytes(StandardCharsets.UTF_8));
        return open.read();
      });
      if (echoed == null) {
        result.put("outcome", "failed").put("error", "NO_ECHO");
      } else {
        result.put("echoMs", millisSince(connectStarted));
        ConnectTrace.Path path = trace[0] == null ? null : trace[0].path();
        boolean punched = path == ConnectTrace.Path.PUNCHED;
        boolean relayed = path == ConnectTrace.Path.RELAYED;
        result.put("outcome", relayed ? "relayed" : punched ? "punched" : "direct")
            .put("path", relayed ? "relay" : punched ? "puncher-socket" : path == ConnectTrace.Path.LAN
                ? "server-socket" : "client-socket");
        HostPort remote = trace[0] == null ? null : trace[0].remote();
        result.put("remote", remote == null ? null : remote.host() + ":" + remote.port());
      }
    } catch (TimeoutException e) {
      result.put("outcome", "failed").put("error", "TIMEOUT");
      trace[0] = abandon(connecting, traced, result);
    } catch (Exception e) {
      if (trace[0] == null) {
        trace[0] = traced.getNow(null);
      }
      failed(result, e);
    }
    result.put("elapsedMs", millisSince(connectStarted));
    PunchStats.Snapshot p = dht.punchStats();
    result.set("punches", JSON.createObjectNode().put("consistent", p.consistent()).put("random", p.random())
        .put("open", p.open()).put("tryLater", p.tryLater()));
    result.set("firewall", seen.json());
    StringBuilder notes = new StringBuilder(trace[0] == null ? "" : trace[0].toString());
    if (stream != null) {
      notes.append(stream.isClosed() ? "" : (notes.isEmpty() ? "" : "; ") + "stream still open at the end");
      SecretStream s = stream;
      closeStep("DESTROY_TIMEOUT", () -> s.destroy(), notes);
    }
    closeStep("CLOSE_TIMEOUT", () -> dht.close(CLOSE), notes);
    if (!notes.isEmpty()) {
      result.put("trace", result.has("trace") ? result.get("trace").asText() + "; " + notes : notes.toString());
    }
    answer.send(result);
  }

  /** A failed result naming why: the step that stuck, the hyperdht error code, or the exception. */
  private static ObjectNode failed(ObjectNode result, Exception e) {
    Throwable cause = e instanceof CompletionException || e instanceof ExecutionException ? e.getCause() : e;
    result.put("outcome", "failed");
    if (cause instanceof Bounded.Stuck stuck) {
      return result.put("error", stuck.code()).put("trace", stuck.getMessage());
    }
    return result.put("error", cause instanceof HyperDhtException h ? h.code().name() : String.valueOf(cause));
  }

  /** Runs a teardown step within its limit; a stuck one is noted with the threads, and the peer goes on. */
  private static void closeStep(String code, Runnable step, StringBuilder notes) {
    try {
      Bounded.run(code, CLOSE.plusSeconds(1), step);
    } catch (Exception e) {
      notes.append(notes.isEmpty() ? "" : "; ").append(e.getMessage());
    }
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
      result.put("trace", "no trace: the attempt did not end when cancelled; threads:" + Bounded.threads());
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

  /** The server node's punch and relay counters, its handshake counters and its {@link ServerLog}. */
  private void stats() {
    ObjectNode event = JSON.createObjectNode().put("event", "stats");
    HyperDht node = serverNode;
    HyperDhtServer s = server;
    if (node == null) {
      event.putNull("punches");
      event.putNull("relaying");
    } else {
      PunchStats.Snapshot p = node.punchStats();
      event.set("punches", JSON.createObjectNode().put("consistent", p.consistent()).put("random", p.random())
          .put("open", p.open()).put("tryLater", p.tryLater()));
      event.put("relaying", node.relayStats().toString());
    }
    if (s != null) {
      event.put("server", s.stats().toString()).put("relays", s.relays().size());
    }
    ServerLog log = serverLog;
    if (log != null) {
      event.set("log", log.json());
    }
    reply.send(event);
  }

  /** Closes the current server and its node within their limits; what stuck, or null. */
  private String closeServer() {
    StringBuilder notes = new StringBuilder();
    HyperDhtServer s = server;
    HyperDht node = serverNode;
    server = null;
    serverNode = null;
    if (s != null) {
      closeStep("SERVER_CLOSE_TIMEOUT", s::close, notes);
    }
    if (node != null) {
      closeStep("CLOSE_TIMEOUT", () -> node.close(CLOSE), notes);
    }
    return notes.isEmpty() ? null : notes.toString();
  }
}
