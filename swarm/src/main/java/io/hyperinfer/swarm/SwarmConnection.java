package io.hyperinfer.swarm;

import io.hyperinfer.hyperdht.HyperDhtException;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * One connection of the swarm: the secret stream to a peer whose key the Noise handshake proved (JS the
 * {@code NoiseSecretStream} a swarm hands out). Messages are read with {@link SecretStream#read()} on a thread of the
 * reader's own. The swarm closes the loser of a duplicate pair with {@link SwarmException.Code#DUPLICATE}.
 * Thread-safe.
 */
public final class SwarmConnection implements Link {
  private static final byte[] EMPTY = new byte[0];
  private final PeerKey remoteKey;
  private final boolean initiator;
  private final CompletableFuture<SecretStream> stream = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AtomicBoolean closeReported = new AtomicBoolean();
  private final Consumer<SwarmConnection> onClose;
  private volatile CompletableFuture<SecretStream> connecting;
  private volatile boolean needsRelay;

  /** @param onClose tells the swarm, once, that this connection is gone */
  SwarmConnection(PeerKey remoteKey, boolean initiator, Consumer<SwarmConnection> onClose) {
    this.remoteKey = remoteKey;
    this.initiator = initiator;
    this.onClose = onClose;
  }

  /**
   * Follows a dial: its stream is attached when it opens, its failure closes this connection, and destroying this
   * connection first cancels the dial, which aborts the connect attempt and frees what it holds.
   */
  void follow(CompletableFuture<SecretStream> connect, Runnable onOpen) {
    connecting = connect;
    connect.whenComplete((s, err) -> {
      if (err != null) {
        needsRelay = punchCannotWork(err);
        reportClosed();
      } else {
        attach(s, onOpen);
      }
    });
    if (stream.isDone()) {
      connect.cancel(true); // destroyed before the dial was even followed
    }
  }

  /** Attaches the opened stream; false (and the stream destroyed) when the connection was destroyed meanwhile. */
  boolean attach(SecretStream s) {
    return attach(s, () -> {});
  }

  /**
   * As {@link #attach(SecretStream)}; {@code opened} runs before the stream's close is watched, so a dial whose stream
   * closed as it opened (the peer refused it right after its first bytes) reports its open before its close: the
   * swarm hands it out and then ends it, and callers waiting for it hear of it, instead of a close that overtook
   * the open leaving the dial neither opened nor failed for them.
   */
  private boolean attach(SecretStream s, Runnable opened) {
    if (!stream.complete(s)) {
      s.destroy();
      return false;
    }
    opened.run();
    s.closed().whenComplete((v, e) -> reportClosed());
    return true;
  }

  void reportClosed() {
    if (closeReported.compareAndSet(false, true)) {
      closed.complete(null);
      onClose.accept(this);
    }
  }

  @Override
  public PeerKey remoteKey() {
    return remoteKey;
  }

  /** The peer's key, proven by the handshake. */
  public byte[] remotePublicKey() {
    return remoteKey.bytes();
  }

  @Override
  public boolean isInitiator() {
    return initiator;
  }

  @Override
  public boolean needsRelay() {
    return needsRelay;
  }

  @Override
  public boolean exchangedBytes() {
    SecretStream s = stream.getNow(null);
    return s != null && !stream.isCompletedExceptionally() && s.peerOpened().isDone() && s.opened().isDone();
  }

  /** The secret stream; the swarm hands out only connections whose stream exists. */
  public SecretStream stream() {
    return stream.join();
  }

  /** Completes once the connection is gone (or its dial failed). */
  public CompletableFuture<Void> closed() {
    return closed.copy();
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /**
   * Sends an empty frame now if that cannot block (JS {@code sendKeepAlive}): the peer's stream drops it (it filters
   * empty messages when its own keep-alive is on, as hyperdht's are), and our transport must get it acknowledged or
   * give the path up. The swarm calls it on every connection when the network changes.
   */
  @Override
  public void sendKeepAlive() {
    if (!stream.isDone() || stream.isCompletedExceptionally()) {
      return; // a dial still in flight: the stream it opens is fresh anyway
    }
    try {
      stream.join().tryWrite(EMPTY);
    } catch (SecretStreamException closing) {
      // the stream is closing: its close reaches the swarm on its own
    }
  }

  /** Ends the connection. */
  public void destroy() {
    destroy(null);
  }

  @Override
  public void destroy(SwarmException reason) {
    if (!stream.completeExceptionally(reason != null ? reason : new SwarmException(SwarmException.Code.DESTROYED,
        "connection destroyed"))) {
      if (!stream.isCompletedExceptionally()) {
        SecretStream s = stream.join();
        if (reason != null) {
          s.destroy(reason);
        } else {
          s.destroy();
        }
      }
      return;
    }
    CompletableFuture<SecretStream> c = connecting;
    if (c != null) {
      c.cancel(true); // a dial still in flight: hyperdht aborts the attempt and releases its sockets
    }
    reportClosed(); // the swarm forgets it now; a stream that still opens is destroyed on arrival
  }

  /** JS {@code shouldForceRelaying}: the failures a blind relay gets around. */
  static boolean punchCannotWork(Throwable err) {
    Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    return e instanceof HyperDhtException h && switch (h.code()) {
      case HOLEPUNCH_ABORTED, HOLEPUNCH_DOUBLE_RANDOMIZED_NATS, CANNOT_HOLEPUNCH, REMOTE_NOT_HOLEPUNCHABLE -> true;
      default -> false;
    };
  }

  @Override
  public String toString() {
    return "SwarmConnection[" + (initiator ? "to " : "from ") + remoteKey + "]";
  }
}
