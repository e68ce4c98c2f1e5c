package io.hyperinfer.nattestbed;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDhtConnection;
import io.hyperinfer.hyperdht.HyperDhtServer;
import io.hyperinfer.secretstream.SecretStream;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What the Java peer's current server saw of each connection, for the report of a failed cell: where it came from,
 * how many relays the server had announced to (what its handshake replies offered as holepunch relays), when the
 * client's secret-stream header came or why it did not, the messages echoed, how the stream ended and where its UDX
 * stream pointed then (a relayed stream moved by an upgrade points elsewhere). Bounded to the last {@link #LIMIT}
 * lines. Thread-safe.
 */
final class ServerLog {
  static final int LIMIT = 60;
  private final Deque<String> lines = new ArrayDeque<>();
  private final long startedNs = System.nanoTime();
  private final AtomicInteger connections = new AtomicInteger();

  /** A line stamped with the milliseconds since the server started listening. */
  synchronized void add(String line) {
    if (lines.size() == LIMIT) {
      lines.removeFirst();
    }
    lines.addLast("+" + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNs) + "ms " + line);
  }

  synchronized ArrayNode json() {
    ArrayNode out = JsonNodeFactory.instance.arrayNode();
    lines.forEach(out::add);
    return out;
  }

  /** Logs the connection's arrival and, as they happen, its header, echoes and end; then echoes every message. */
  void echo(HyperDhtConnection connection, HyperDhtServer server, SecretStream stream, Supplier<String> firewall) {
    String id = "#" + connections.incrementAndGet();
    add(id + " accepted from " + text(connection.remoteAddress()) + (connection.punched() ? " (punched)" : "")
        + ", server relays " + server.relays().size() + ", firewall " + firewall.get());
    stream.peerOpened().whenComplete((v, e) -> add(id + (e == null ? " peer's header arrived"
        : " no header from the peer: " + e)));
    int echoed = 0;
    try {
      byte[] m;
      while ((m = stream.read()) != null) {
        stream.write(m);
        if (echoed++ == 0) {
          add(id + " first message echoed");
        }
      }
      add(id + " ended by the peer after " + echoed + " messages" + where(connection));
      stream.end();
    } catch (RuntimeException e) {
      add(id + " closed after " + echoed + " messages: " + e + where(connection));
    }
  }

  private static String where(HyperDhtConnection connection) {
    InetSocketAddress remote = connection.rawStream().remoteAddress();
    return remote == null ? "" : "; its UDX stream pointed at " + remote.getAddress().getHostAddress() + ":"
        + remote.getPort();
  }

  private static String text(HostPort address) {
    return address.host() + ":" + address.port();
  }
}
