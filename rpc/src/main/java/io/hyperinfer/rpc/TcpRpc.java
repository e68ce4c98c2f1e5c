package io.hyperinfer.rpc;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * RPC over plain TCP with secret-stream's own XX handshake, as a JS {@code new SecretStream(isInitiator, socket)}
 * peer does. For tests, benchmarks and the net facility until HyperDHT connections exist.
 */
public final class TcpRpc {
  private TcpRpc() {}

  /** A listening socket whose connections are served by an {@link RpcServer}. Thread-safe. */
  public static final class Listener implements AutoCloseable {
    private final ServerSocket socket;

    private Listener(ServerSocket socket) {
      this.socket = socket;
    }

    public InetSocketAddress address() {
      return (InetSocketAddress) socket.getLocalSocketAddress();
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
    return listen(server, keyPair, address, Duration.ZERO);
  }

  /** As {@link #listen(RpcServer, KeyPair, InetSocketAddress)}, reads spinning (see {@link RawStream#of}). */
  public static Listener listen(RpcServer server, KeyPair keyPair, InetSocketAddress address, Duration readSpin) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(address);
      Thread.ofVirtual().name("rpc-accept").start(() -> acceptLoop(socket, server, keyPair, readSpin));
      return new Listener(socket);
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

  private static void acceptLoop(ServerSocket socket, RpcServer server, KeyPair keyPair, Duration readSpin) {
    while (!socket.isClosed()) {
      try {
        Socket accepted = socket.accept();
        server.start(SecretStream.builder(RawStream.of(accepted, readSpin), false).keyPair(keyPair));
      } catch (IOException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }
}
