package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.secretstream.RawStream;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.secretstream.SecretStreamListener;
import io.hyperinfer.udx.UdxStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * An established HyperDHT connection whose secret stream is not started yet: the Noise IK handshake is done (so the
 * peer's key is proven), and the UDX stream is connected to the peer. {@link #start} starts the secret stream over
 * it (JS {@code new NoiseSecretStream(isInitiator, rawStream, {handshake, keepAlive})}), with a listener if the
 * caller wants messages pushed (over UDX they arrive on the socket's loop thread). A server hands these to its
 * {@link ConnectionHandler}. Thread-safe.
 */
public final class HyperDhtConnection {
  private final NoiseWrap.Established handshake;
  private final UdxStream raw;
  private final HostPort remoteAddress;
  private final Duration keepAlive;
  private final Duration headerTimeout;
  private final boolean punched;
  private final CompletableFuture<SecretStream> started = new CompletableFuture<>();

  /**
   * @param headerTimeout how long the peer has to send its secret-stream header once started (zero: no limit)
   * @param punched whether the stream runs on a puncher socket (a holepunch made it)
   */
  HyperDhtConnection(NoiseWrap.Established handshake, UdxStream raw, HostPort remoteAddress, Duration keepAlive,
      Duration headerTimeout, boolean punched) {
    this.punched = punched;
    this.handshake = handshake;
    this.raw = raw;
    this.remoteAddress = remoteAddress;
    this.keepAlive = keepAlive;
    this.headerTimeout = headerTimeout;
  }

  /** The peer's static public key, proven by the Noise handshake. */
  public byte[] remotePublicKey() {
    return handshake.remotePublicKey().clone();
  }

  /** Our static public key on this connection. */
  public byte[] publicKey() {
    return handshake.publicKey().clone();
  }

  /** Whether we connected (the client); false on a server's connections. */
  public boolean isInitiator() {
    return handshake.initiator();
  }

  /** Where the UDX stream sends to. */
  public HostPort remoteAddress() {
    return remoteAddress;
  }

  /** Whether a holepunch made this connection: its stream runs on a puncher socket of the node's pool. */
  public boolean punched() {
    return punched;
  }

  /** The UDX stream under the connection. */
  public UdxStream rawStream() {
    return raw;
  }

  /** Starts the secret stream with messages going to {@link SecretStream#read()}. */
  public SecretStream start() {
    return start(null);
  }

  /**
   * Starts the secret stream; {@code listener} (may be null) receives its events. Once only.
   *
   * @throws IllegalStateException when already started
   */
  public synchronized SecretStream start(SecretStreamListener listener) {
    if (started.isDone()) {
      throw new IllegalStateException("the connection's stream is already started");
    }
    SecretStream stream = SecretStream.builder(RawStream.of(raw), handshake.initiator())
        .handshake(handshake.toHandshakeResult()).keepAlive(keepAlive).listener(listener).start();
    started.complete(stream);
    if (headerTimeout.isPositive()) {
      ConnectTimer.schedule(() -> {
        if (!stream.peerOpened().isDone()) {
          stream.destroy(new SecretStreamException(SecretStreamException.Code.TIMEOUT,
              "no secret-stream header from the peer within " + headerTimeout.toMillis() + " ms"));
        }
      }, headerTimeout.toMillis());
    }
    return stream;
  }

  /** Starts the stream without a listener unless it was started or destroyed already (a handler returned). */
  synchronized void startIfIdle() {
    if (!started.isDone()) {
      start(null);
    }
  }

  /** Completes with the secret stream once it is started. */
  public CompletableFuture<SecretStream> started() {
    return started.copy();
  }

  /** Closes the connection (the stream if started, else the UDX stream). */
  public void destroy() {
    SecretStream stream;
    synchronized (this) {
      if (!started.isDone()) {
        started.cancel(false);
        raw.destroy();
        return;
      }
      if (started.isCancelled()) {
        return;
      }
      stream = started.join();
    }
    stream.destroy();
  }

  @Override
  public String toString() {
    return "HyperDhtConnection[" + (handshake.initiator() ? "to " : "from ") + remoteAddress + "]";
  }
}
