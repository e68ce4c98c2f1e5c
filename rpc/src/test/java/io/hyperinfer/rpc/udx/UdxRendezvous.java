package io.hyperinfer.rpc.udx;

import io.hyperinfer.udx.Udx;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The stand-in for HyperDHT's connection setup used by the RPC-over-UDX tests and benchmarks, the same as
 * {@code src/test/js/udx-rendezvous.js}: the client sends the datagram {@code HELLO <clientStreamId>} to the
 * server's socket; the server connects a new stream to the sender and answers {@code WELCOME <serverStreamId>
 * <clientStreamId>}. A repeated HELLO gets the same answer. One instance per socket; it owns the socket's non-UDX
 * handler. Thread-safe.
 */
public final class UdxRendezvous {
  private static final Duration RETRY = Duration.ofMillis(200);
  /** Bounds the table of accepted clients: HELLOs beyond it are dropped. */
  private static final int MAX_ACCEPTED = 100_000;

  private final Udx udx;
  private final UdxSocket socket;
  private final Map<String, Integer> accepted = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<Integer>> pending = new ConcurrentHashMap<>();
  private volatile Consumer<UdxStream> onStream;

  public UdxRendezvous(Udx udx, UdxSocket socket) {
    this.udx = udx;
    this.socket = socket;
    socket.onNonUdxPacket((s, data, from) -> onDatagram(new String(data, StandardCharsets.US_ASCII), from));
  }

  /** Accepts connections: each new client's stream, already connected, goes to {@code onStream} on the loop. */
  public UdxRendezvous serve(Consumer<UdxStream> onStream) {
    this.onStream = onStream;
    return this;
  }

  /** Opens a stream to the server at {@code server}; returns it connected once the server has answered. */
  public UdxStream connect(InetSocketAddress server, Duration timeout) throws TimeoutException {
    UdxStream stream = udx.createStream();
    CompletableFuture<Integer> welcome = new CompletableFuture<>();
    pending.put(stream.id(), welcome);
    byte[] hello = ("HELLO " + Integer.toUnsignedString(stream.id())).getBytes(StandardCharsets.US_ASCII);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        socket.send(hello, server);
        try {
          int serverId = welcome.get(Math.min(RETRY.toNanos(), Math.max(1, deadline - System.nanoTime())),
              TimeUnit.NANOSECONDS);
          stream.connect(socket, serverId, server);
          return stream;
        } catch (TimeoutException e) {
          if (System.nanoTime() - deadline >= 0) {
            stream.destroy();
            throw new TimeoutException("no WELCOME from " + server + " within " + timeout);
          }
        }
      }
    } catch (InterruptedException | ExecutionException e) {
      stream.destroy();
      throw new IllegalStateException("connect to " + server + " failed", e);
    } finally {
      pending.remove(stream.id());
    }
  }

  private void onDatagram(String text, InetSocketAddress from) {
    String[] words = text.split(" ");
    if (words.length == 2 && words[0].equals("HELLO") && onStream != null) {
      onHello(Integer.parseUnsignedInt(words[1]), from);
    } else if (words.length == 3 && words[0].equals("WELCOME")) {
      CompletableFuture<Integer> waiting = pending.get(Integer.parseUnsignedInt(words[2]));
      if (waiting != null) {
        waiting.complete(Integer.parseUnsignedInt(words[1]));
      }
    }
  }

  private void onHello(int clientId, InetSocketAddress from) {
    String key = from + "/" + Integer.toUnsignedString(clientId);
    Integer id = accepted.get(key);
    if (id == null) {
      if (accepted.size() >= MAX_ACCEPTED) {
        return;
      }
      UdxStream stream = udx.createStream();
      id = stream.id();
      accepted.put(key, id);
      stream.connect(socket, clientId, from);
      stream.closed().whenComplete((v, e) -> accepted.remove(key));
      onStream.accept(stream);
    }
    socket.send(("WELCOME " + Integer.toUnsignedString(id) + " " + Integer.toUnsignedString(clientId))
        .getBytes(StandardCharsets.US_ASCII), from);
  }
}
