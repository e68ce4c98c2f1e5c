package io.hyperinfer.rpc;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.ConnectionLimiter;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * RPC over plain TCP with secret-stream's own XX handshake, as a JS {@code new SecretStream(isInitiator, socket)}
 * peer does. For tests, benchmarks and the net facility until HyperDHT connections exist.
 *
 * <p>A listener is hostile-input code: every accepted connection must be admitted by a {@link ConnectionLimiter}
 * (caps in total and per source address, handshakes in progress included), must finish its handshake within
 * {@link ListenOptions#handshakeTimeout()} and may buffer at most {@link ListenOptions#handshakeFrameLimit()} bytes
 * before it has. A connection holds one platform reader thread (and a virtual timeout watcher while handshaking), so
 * threads are bounded by the connection cap. The accept loop survives every failure (see {@link AcceptLoop}).
 */
public final class TcpRpc {
  private TcpRpc() {}

  /**
   * What a listener admits and how long it waits.
   *
   * @param limits caps on connections and handshakes, in total and per source address (IPv4 address, IPv6 /64)
   * @param handshakeTimeout a connection that has not finished the secret-stream handshake by then is closed
   * @param handshakeFrameLimit largest frame accepted before the handshake finished (see
   *     {@link SecretStreamBuilder#handshakeFrameLimit})
   * @param idleTimeout close an established connection that received nothing for this long; zero = never (default:
   *     a pooled client may idle, and the caps bound what idle connections hold)
   * @param readSpin poll this long before a read blocks (see {@link RawStream#of(Socket, Duration)})
   */
  public record ListenOptions(ConnectionLimiter.Limits limits, Duration handshakeTimeout, int handshakeFrameLimit,
      Duration idleTimeout, Duration readSpin) {
    /** {@link ConnectionLimiter.Limits#DEFAULT}, a 10 s handshake (as HyperDHT's), 4 KiB frames, no idle timeout. */
    public static final ListenOptions DEFAULT = new ListenOptions(ConnectionLimiter.Limits.DEFAULT,
        Duration.ofSeconds(10), 4096, Duration.ZERO, Duration.ZERO);

    public ListenOptions {
      if (handshakeTimeout.isNegative() || handshakeTimeout.isZero() || idleTimeout.isNegative()
          || readSpin.isNegative()) {
        throw new IllegalArgumentException("listen options need a positive handshake timeout: " + handshakeTimeout);
      }
    }

    public ListenOptions withLimits(ConnectionLimiter.Limits l) {
      return new ListenOptions(l, handshakeTimeout, handshakeFrameLimit, idleTimeout, readSpin);
    }

    public ListenOptions withHandshakeTimeout(Duration d) {
      return new ListenOptions(limits, d, handshakeFrameLimit, idleTimeout, readSpin);
    }

    public ListenOptions withIdleTimeout(Duration d) {
      return new ListenOptions(limits, handshakeTimeout, handshakeFrameLimit, d, readSpin);
    }

    public ListenOptions withReadSpin(Duration d) {
      return new ListenOptions(limits, handshakeTimeout, handshakeFrameLimit, idleTimeout, d);
    }
  }

  /** A listening socket whose connections are served by an {@link RpcServer}. Thread-safe. */
  public static final class Listener implements AutoCloseable {
    private final ServerSocket socket;
    private final ConnectionLimiter<String> limiter;

    private Listener(ServerSocket socket, ConnectionLimiter<String> limiter) {
      this.socket = socket;
      this.limiter = limiter;
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /** Connections and handshakes held now, and how many were admitted, refused and evicted. */
    public ConnectionLimiter.Stats stats() {
      return limiter.stats();
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Binds {@code address} and serves every accepted connection with {@code server}, keyed by {@code keyPair}. */
  public static Listener listen(RpcServer server, KeyPair keyPair, InetSocketAddress address) {
    return listen(server, keyPair, address, ListenOptions.DEFAULT);
  }

  /** As {@link #listen(RpcServer, KeyPair, InetSocketAddress)}, reads spinning (see {@link RawStream#of}). */
  public static Listener listen(RpcServer server, KeyPair keyPair, InetSocketAddress address, Duration readSpin) {
    return listen(server, keyPair, address, ListenOptions.DEFAULT.withReadSpin(readSpin));
  }

  /** As {@link #listen(RpcServer, KeyPair, InetSocketAddress)} with explicit caps and deadlines. */
  public static Listener listen(RpcServer server, KeyPair keyPair, InetSocketAddress address, ListenOptions options) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(address, options.limits().maxHandshakes());
      ConnectionLimiter<String> limiter = new ConnectionLimiter<>(options.limits());
      AcceptLoop loop = AcceptLoop.of(socket, accepted -> serve(accepted, server, keyPair, options, limiter));
      Thread.ofVirtual().name("rpc-accept").start(loop);
      return new Listener(socket, limiter);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on " + address, e);
    }
  }
  /** Connects to {@code address} and opens an RPC client to the server with {@code serverPublicKey}. */
  public static RpcClient connect(InetSocketAddress address, byte[] serverPublicKey, KeyPair keyPair) {
    return connect(address, serverPublicKey, keyPair, Duration.ZERO);
  }

  /** As {@link #connect(InetSocketAddress, byte[], KeyPair)}, reads spinning (see {@link RawStream#of}). */
  public static RpcClient connect(InetSocketAddress address, byte[] serverPublicKey, KeyPair keyPair,
      Duration readSpin) {
    try {
      Socket socket = new Socket();
      socket.connect(address);
      return RpcClient.start(SecretStream.builder(RawStream.of(socket, readSpin), true).keyPair(keyPair),
          serverPublicKey);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot connect to " + address, e);
    }
  }

  private static void serve(Socket accepted, RpcServer server, KeyPair keyPair, ListenOptions options,
      ConnectionLimiter<String> limiter) {
    var admission = limiter.admit(ConnectionLimiter.addressKey(accepted.getInetAddress()),
        () -> AcceptLoop.closeQuietly(accepted));
    if (admission.isEmpty()) {
      AcceptLoop.closeQuietly(accepted);
      return;
    }
    ConnectionLimiter<String>.Admission held = admission.get();
    try {
      RpcConnection connection = server.start(SecretStream.builder(RawStream.of(accepted, options.readSpin()), false)
          .keyPair(keyPair).handshakeTimeout(options.handshakeTimeout())
          .handshakeFrameLimit(options.handshakeFrameLimit()).timeout(options.idleTimeout()));
      connection.session().whenComplete((session, failure) -> {
        if (failure != null) {
          held.close();
        } else {
          held.handshakeDone();
          connection.stream().closed().whenComplete((v, t) -> held.close());
        }
      });
    } catch (IOException | RuntimeException e) {
      held.close();
      AcceptLoop.closeQuietly(accepted);
    }
  }
}
