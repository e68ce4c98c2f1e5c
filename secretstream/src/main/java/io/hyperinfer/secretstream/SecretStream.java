package io.hyperinfer.secretstream;

import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.secretstream.SecretStreamException.Code;
import io.hyperinfer.secretstream.internal.IdleTimeout;
import io.hyperinfer.secretstream.internal.KeepAlive;
import io.hyperinfer.secretstream.internal.Session;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An encrypted, message-framed duplex over a {@link RawStream}, wire-compatible with @hyperswarm/secret-stream
 * 6.9.2. Each {@link #write} is one frame and arrives as one message. Messages are read with {@link #read()} or
 * pushed to a {@link SecretStreamListener} (given to the builder, or {@link #handOver handed over} later).
 *
 * <p>Thread-safe: any thread may write, end or destroy; writes are serialised in call order. The reading side
 * (handshake, decryption, the listener) runs on the transport's thread when the raw stream pushes its bytes (UDX: the
 * loop thread, as in JS), else on one platform thread per stream that reads the raw stream. A virtual thread sends
 * keepalives when enabled, and one more watches the idle timeout while one is set.
 *
 * <p>JS's {@code alloc(len)} has no counterpart: it lets JS callers fill a pooled buffer in place, which a
 * {@code byte[]} write does not need.
 */
public final class SecretStream {
  /** Largest message one {@link #write} carries: a frame of 2^24 - 1 bytes less the 17-byte secretstream overhead. */
  public static final int MAX_MESSAGE = Session.MAX_MESSAGE;

  private final RawStream raw;
  private final boolean initiator;
  private final Session session;
  private volatile SecretStreamListener listener; // set once: at build, or by handOver on the reading side
  private final Inbox inbox;
  private final AtomicBoolean handingOver = new AtomicBoolean();
  private final AtomicBoolean closeDelivered = new AtomicBoolean();
  private volatile Closure closure; // set once by the closing thread, before it looks for a listener
  private volatile boolean pauseRequested; // the latest setReadPaused, for a hand-over that resumes the inbox's pause
  private final KeepAlive keepAlive;
  private final IdleTimeout idleTimeout;
  private Thread timeoutWatcher; // guarded by idleTimeout
  private final ReentrantLock writeLock = new ReentrantLock();
  private final CompletableFuture<HandshakeResult> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> peerOpened = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final ReaderOutput output = new ReaderOutput();
  private final Object pauseMonitor = new Object();
  private boolean readPaused; // guarded by pauseMonitor; thread-read transports only
  private volatile boolean localEnded;
  private volatile boolean remoteEnded;

  SecretStream(SecretStreamBuilder b) {
    this.raw = b.raw;
    this.initiator = b.initiator;
    this.session = b.handshake != null ? Session.established(b.initiator, b.handshake, b.filterEmpty())
        : Session.handshake(b.initiator, b.keyPair, b.filterEmpty(), b.handshakeFrameLimit);
    this.listener = b.listener;
    this.inbox = b.listener == null ? new Inbox(b.inboxCapacity, b.raw.pushes() ? b.raw::pauseReading : null) : null;
    this.keepAlive = b.keepAlive.isZero() ? null : new KeepAlive(b.keepAlive, b.clock);
    this.idleTimeout = new IdleTimeout(b.clock);
    idleTimeout.set(b.timeout);
    if (b.handshake == null) {
      idleTimeout.handshakeDeadline(b.handshakeTimeout);
    }
  }

  /** Options for a stream over {@code raw}; {@code initiator} is the side that dialled. */
  public static SecretStreamBuilder builder(RawStream raw, boolean initiator) {
    return new SecretStreamBuilder(raw, initiator);
  }

  void startThreads() {
    raw.onDatagram(this::onDatagram);
    if (raw.pushes()) {
      raw.startPushing(new PushedBytes());
    } else {
      // A platform thread: a virtual thread's socket read wakes through the poller and then a carrier, which
      // measured three times the round-trip latency of a blocking read on this kind of machine.
      Thread.ofPlatform().daemon().name("secretstream-reader").start(this::readLoop);
    }
    if (keepAlive != null) {
      Thread.ofVirtual().name("secretstream-keepalive").start(this::keepAliveLoop);
    }
    watchTimeout();
  }

  /** Whether this side dialled (Noise initiator). */
  public boolean isInitiator() {
    return initiator;
  }

  /** Completes with the handshake outcome once the stream is open, or fails with the reason it never opened. */
  public CompletableFuture<HandshakeResult> opened() {
    return opened;
  }

  /**
   * Completes once the peer's header arrived (the first bytes the peer sent once its side was set up), or fails with
   * the reason the stream closed first. Unlike {@link #opened()}, which completes when our side is set up (at once
   * when started from a finished handshake, as JS's {@code opened}), this proves the peer is there and talking.
   */
  public CompletableFuture<Void> peerOpened() {
    return peerOpened;
  }

  /** Completes when the stream is closed: normally after a clean close, exceptionally on an error. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  /** Waits up to {@code timeout} for the handshake; throws the reason it failed. */
  public HandshakeResult awaitOpen(Duration timeout) throws TimeoutException {
    try {
      return opened.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw asStreamException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SecretStreamException(Code.DESTROYED, "interrupted while opening", e);
    }
  }

  /** The peer's static public key; waits for the handshake. */
  public byte[] remotePublicKey() {
    return awaitOpened().remotePublicKey();
  }

  /** Our static public key; waits for the handshake. */
  public byte[] publicKey() {
    return awaitOpened().publicKey();
  }

  /** The 64-byte Noise handshake hash (capabilities are derived from it); waits for the handshake. */
  public byte[] handshakeHash() {
    return awaitOpened().handshakeHash();
  }

  /**
   * Stops (true) or resumes reading from the raw stream, for a consumer that cannot take more yet; bytes held back
   * push back on the peer. Messages of a chunk already read are still delivered.
   */
  public void setReadPaused(boolean paused) {
    pauseRequested = paused;
    if (raw.pushes()) {
      raw.pauseReading(paused);
      return;
    }
    synchronized (pauseMonitor) {
      readPaused = paused;
      pauseMonitor.notifyAll();
    }
  }

  /**
   * Writes {@code message} as one frame only if that cannot block: the handshake is done, no other write is in
   * progress and the transport is not backlogged. Returns false, having written nothing, otherwise. For callers
   * that hold a lock the reading side may need.
   *
   * @throws SecretStreamException as {@link #write}, except that it never waits
   */
  public boolean tryWrite(byte[] message) {
    if (!opened.isDone() || opened.isCompletedExceptionally() || !raw.writable()) {
      return false;
    }
    if (message.length > Session.MAX_MESSAGE) {
      throw new SecretStreamException(Code.MESSAGE_TOO_LARGE, "message of " + message.length + " bytes");
    }
    if (!writeLock.tryLock()) {
      return false;
    }
    try {
      writeLocked(message, false);
      return true;
    } finally {
      writeLock.unlock();
    }
  }

  /**
   * Sends {@code message} as one frame, waiting for the handshake first and blocking under backpressure.
   *
   * @throws SecretStreamException {@code MESSAGE_TOO_LARGE} (stream stays usable), {@code STREAM_ENDED} after
   *     end or close, or the failure that closed the stream
   */
  public void write(byte[] message) {
    awaitOpened();
    if (message.length > Session.MAX_MESSAGE) {
      throw new SecretStreamException(Code.MESSAGE_TOO_LARGE, "message of " + message.length + " bytes");
    }
    writeFrame(message, false);
  }

  /** Sends an unordered message when the transport has datagrams; returns false (and sends nothing) otherwise. */
  public boolean send(byte[] message) {
    awaitOpened();
    return sendUnordered(message);
  }

  /**
   * Sends an unordered message without waiting for anything, as JS {@code trySend}: before the handshake has
   * finished, after close, or over a transport without datagrams it returns at once and sends nothing.
   */
  public void trySend(byte[] message) {
    if (opened.isDone() && !opened.isCompletedExceptionally()) {
      sendUnordered(message);
    }
  }

  /**
   * Destroys the stream with {@code TIMEOUT} ("Stream timed out") once nothing at all has been received for
   * {@code timeout}, counted from now and restarted by every chunk of bytes that arrives: handshake, data and the
   * peer's keepalive frames alike (unordered datagrams do not count). {@code ZERO} turns it off. As JS
   * {@code setTimeout(ms)}; keep the peer's keepalive interval shorter so an idle but live stream stays open.
   */
  public void setTimeout(Duration timeout) {
    idleTimeout.set(timeout);
    watchTimeout();
  }

  /** The idle timeout; {@code ZERO} when off. */
  public Duration timeout() {
    return idleTimeout.timeout();
  }

  private boolean sendUnordered(byte[] message) {
    if (!raw.supportsDatagrams() || closing.get()) {
      return false;
    }
    byte[] envelope = session.unordered().seal(message);
    if (envelope == null) {
      destroy(new SecretStreamException(Code.DESTROYED, "unordered send nonce exhausted"));
      return false;
    }
    try {
      raw.sendDatagram(envelope);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The next whole message, blocking; null once the peer has ended (or after a plain {@link #destroy()}).
   *
   * @throws SecretStreamException the error that closed the stream
   * @throws IllegalStateException when a listener receives the messages instead
   */
  public byte[] read() {
    if (inbox == null) {
      throw new IllegalStateException("messages go to the listener");
    }
    return inbox.take();
  }

  /**
   * Hands the reading side of a stream started without a listener to {@code listener}, for a consumer that gets
   * the stream after it was started (a swarm's connection): over a transport that pushes (UDX) it then runs on the
   * transport's thread as if given to the builder, with no reader thread in between (on the calling thread when
   * that thread has stopped, the stream then being closed). On that thread, in order:
   * {@code onOpen} (now if the handshake is done, else when it is), the messages queued for {@link #read()} and an
   * {@code onReadComplete} after them, {@code onEnd} if the peer already ended, then everything later as it comes;
   * {@code onClose} once, on the closing thread or after the queued messages. Later reads throw
   * {@code IllegalStateException}. Returns false, changing nothing, over a transport read by a thread (TCP): keep
   * reading with {@link #read()}.
   *
   * @throws IllegalStateException when the stream has a listener already
   */
  public boolean handOver(SecretStreamListener listener) {
    if (!raw.pushes()) {
      return false;
    }
    if (inbox == null || !handingOver.compareAndSet(false, true)) {
      throw new IllegalStateException("the stream has a listener already");
    }
    try {
      raw.runOnReader(() -> adopt(listener));
    } catch (RuntimeException transportGone) {
      // its thread stopped (the socket closed): nothing reads any more, so this thread may deliver
      close(transportGone);
      adopt(listener);
    }
    return true;
  }

  /** On the reading side: the listener takes over what the inbox holds and what comes next. */
  private void adopt(SecretStreamListener l) {
    List<byte[]> queued = inbox.handOver();
    listener = l; // before reading the closure: a close racing with this either sees l or leaves its closure to us
    if (opened.isDone() && !opened.isCompletedExceptionally()) {
      l.onOpen(this);
    }
    for (byte[] message : queued) {
      l.onMessage(this, message);
    }
    if (!queued.isEmpty()) {
      l.onReadComplete(this);
    }
    Closure c = closure;
    if (remoteEnded && (c == null || c.failure() == null)) {
      l.onEnd(this);
    }
    if (c != null) {
      deliverClose(l, c.failure());
    } else if (inbox.pausedTransport() && !pauseRequested) {
      raw.pauseReading(false);
    }
  }

  /** Ends our side once queued writes are out; the stream closes when the peer has ended too. Idempotent. */
  public void end() {
    if (!opened.isDone()) {
      opened.exceptionally(t -> null).join();
    }
    writeLock.lock();
    try {
      if (localEnded || closing.get()) {
        return;
      }
      localEnded = true;
      raw.end();
    } catch (IOException e) {
      destroy(new SecretStreamException(Code.IO_ERROR, "raw stream failed on end", e));
      return;
    } finally {
      writeLock.unlock();
    }
    if (remoteEnded) {
      close(null);
    }
  }

  /** Closes at once, discarding unread messages; readers see end of stream. Idempotent. */
  public void destroy() {
    close(null);
  }

  /** Closes at once because of {@code cause}; readers and waiting writers get it. Idempotent. */
  public void destroy(Throwable cause) {
    close(cause instanceof SecretStreamException ? cause
        : new SecretStreamException(Code.DESTROYED, "destroyed: " + cause, cause));
  }

  /** Whether the stream has closed. */
  public boolean isClosed() {
    return closing.get();
  }

  private HandshakeResult awaitOpened() {
    try {
      return opened.join();
    } catch (CompletionException e) {
      throw asStreamException(e.getCause());
    }
  }

  private void writeFrame(byte[] message, boolean isKeepAlive) {
    try {
      raw.awaitWritable(); // outside the lock: the reading side may need it to answer while we wait
    } catch (IOException e) {
      throw writeFailed(e);
    }
    writeLock.lock();
    try {
      writeLocked(message, isKeepAlive);
    } finally {
      writeLock.unlock();
    }
  }

  private void writeLocked(byte[] message, boolean isKeepAlive) {
    if (localEnded || closing.get()) {
      if (isKeepAlive) {
        return;
      }
      throw closedFailure();
    }
    byte[] frame = session.seal(message);
    try {
      raw.write(frame, 0, frame.length);
    } catch (IOException e) {
      throw writeFailed(e);
    }
    if (keepAlive != null) {
      keepAlive.onWrite();
    }
  }

  private SecretStreamException writeFailed(IOException e) {
    SecretStreamException failure = new SecretStreamException(Code.IO_ERROR, "raw stream write failed", e);
    close(failure);
    return failure;
  }

  private SecretStreamException closedFailure() {
    if (closed.isCompletedExceptionally()) {
      return asStreamException(closed.handle((v, t) -> t).join());
    }
    return new SecretStreamException(Code.STREAM_ENDED, "stream has ended");
  }

  private void readLoop() {
    byte[] buffer = new byte[64 * 1024];
    try {
      session.start(output);
      while (!closing.get()) {
        awaitReadable();
        int n = raw.read(buffer, 0, buffer.length);
        if (n < 0) {
          if (!closing.get()) {
            onRemoteEnd();
          }
          return;
        }
        onBytes(buffer, 0, n);
      }
    } catch (IOException e) {
      close(new SecretStreamException(Code.IO_ERROR, "raw stream read failed", e));
    } catch (RuntimeException e) {
      close(e);
    } catch (Error e) {
      close(new SecretStreamException(Code.IO_ERROR, "reader failed: " + e, e));
      throw e;
    }
  }

  /** One chunk of raw bytes, on the reading side's thread. */
  private void onBytes(byte[] buffer, int offset, int length) {
    idleTimeout.onRead();
    session.receive(buffer, offset, length, output);
    if (output.delivered) {
      output.delivered = false;
      listener.onReadComplete(this); // delivered only while a listener is set, which stays set
    }
  }

  private void awaitReadable() {
    synchronized (pauseMonitor) {
      while (readPaused && !closing.get()) {
        try {
          pauseMonitor.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new SecretStreamException(Code.DESTROYED, "interrupted while paused", e);
        }
      }
    }
  }

  private void onRemoteEnd() {
    if (!opened.isDone()) {
      close(new SecretStreamException(Code.HANDSHAKE_FAILED, "peer ended during the handshake"));
      return;
    }
    remoteEnded = true;
    SecretStreamListener l = listener;
    if (l != null) {
      l.onEnd(this);
    } else {
      inbox.endAfterMessages();
    }
    if (localEnded) {
      close(null);
    }
  }

  private void keepAliveLoop() {
    opened.exceptionally(t -> null).join();
    try {
      while (!closing.get() && !localEnded) {
        long wait = keepAlive.millisUntilDue();
        if (wait <= 0) {
          writeFrame(new byte[0], true);
        } else {
          Thread.sleep(wait);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SecretStreamException e) {
      // the writer's failure already closed the stream
    } catch (RuntimeException e) {
      // a transport that went away under the write (its socket closed): a keepalive has no caller to tell, and a
      // keepalive after close is a no-op, so the stream closes (if it has not) and nothing escapes this thread
      close(e);
    }
  }

  /** Starts the watcher when a timeout is on and none runs; wakes a running one to see a changed timeout. */
  private void watchTimeout() {
    synchronized (idleTimeout) {
      if (timeoutWatcher != null) {
        LockSupport.unpark(timeoutWatcher);
      } else if (idleTimeout.isOn() && !closing.get()) {
        timeoutWatcher = Thread.ofVirtual().name("secretstream-timeout").start(this::timeoutLoop);
      }
    }
  }

  private void timeoutLoop() {
    while (!closing.get()) {
      long wait = idleTimeout.millisUntilExpiry();
      if (wait <= 0) {
        destroy(new SecretStreamException(Code.TIMEOUT,
            idleTimeout.handshakeExpired() ? "Handshake timed out" : "Stream timed out"));
      } else if (wait != IdleTimeout.OFF) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
      } else {
        synchronized (idleTimeout) {
          if (!idleTimeout.isOn()) {
            timeoutWatcher = null;
            return;
          }
        }
      }
    }
  }

  private void onDatagram(byte[] datagram) {
    if (!opened.isDone() || opened.isCompletedExceptionally() || closing.get()) {
      return;
    }
    byte[] message = session.unordered().open(datagram);
    SecretStreamListener l = listener;
    if (message != null && l != null) {
      l.onUnorderedMessage(this, message);
    }
  }

  private void close(Throwable error) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    synchronized (pauseMonitor) {
      pauseMonitor.notifyAll();
    }
    raw.destroy();
    watchTimeout(); // a parked timeout watcher sees the close now instead of at its deadline
    SecretStreamException failure = error == null ? null : asStreamException(error);
    opened.completeExceptionally(failure != null ? failure
        : new SecretStreamException(Code.DESTROYED, "closed before the handshake finished"));
    peerOpened.completeExceptionally(failure != null ? failure
        : new SecretStreamException(Code.DESTROYED, "closed before the peer's header arrived"));
    closure = new Closure(failure);
    if (inbox != null) {
      inbox.abort(failure);
    }
    SecretStreamListener l = listener; // null: no listener yet, and one handed over later gets the closure
    if (l != null) {
      deliverClose(l, failure);
    }
    if (failure == null) {
      closed.complete(null);
    } else {
      closed.completeExceptionally(failure);
    }
  }

  private void deliverClose(SecretStreamListener l, SecretStreamException failure) {
    if (!closeDelivered.compareAndSet(false, true)) {
      return;
    }
    try {
      l.onClose(this, failure);
    } catch (RuntimeException listenerFailed) {
      // the stream is closed whatever its listener did: the futures must complete
    }
  }

  /** How the stream closed: {@code failure} null after a clean close. */
  private record Closure(SecretStreamException failure) {}

  private static SecretStreamException asStreamException(Throwable t) {
    if (t instanceof SecretStreamException s) {
      return s;
    }
    return new SecretStreamException(Code.IO_ERROR, String.valueOf(t.getMessage()), t);
  }

  /** The reading side driven by a transport that pushes its bytes (UDX), on that transport's thread. */
  private final class PushedBytes implements RawStream.Receiver {
    @Override
    public void onStart() {
      guard(() -> session.start(output));
    }

    @Override
    public void onBytes(byte[] bytes) {
      if (!closing.get()) {
        guard(() -> SecretStream.this.onBytes(bytes, 0, bytes.length));
      }
    }

    @Override
    public void onEnd() {
      if (!closing.get()) {
        guard(SecretStream.this::onRemoteEnd);
      }
    }

    @Override
    public void onFailure(IOException failure) {
      close(new SecretStreamException(Code.IO_ERROR, "raw stream read failed", failure));
    }

    private void guard(Runnable step) {
      try {
        step.run();
      } catch (RuntimeException e) {
        close(e);
      }
    }
  }

  /** The session's effects, applied on the reading side's thread. */
  private final class ReaderOutput implements Session.Output {
    /** A message went to the listener during the current read. */
    boolean delivered;

    @Override
    public void write(byte[] bytes) {
      writeLock.lock();
      try {
        raw.write(bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new SecretStreamException(Code.IO_ERROR, "raw stream write failed", e);
      } finally {
        writeLock.unlock();
      }
    }

    @Override
    public void opened(HandshakeResult result) {
      if (idleTimeout.handshakeDone()) {
        watchTimeout(); // the watcher parked until the deadline re-reads what is left, or leaves
      }
      opened.complete(result);
      SecretStreamListener l = listener;
      if (l != null) {
        l.onOpen(SecretStream.this);
      }
    }

    @Override
    public void peerHeader() {
      peerOpened.complete(null);
    }

    @Override
    public void message(byte[] plaintext) {
      SecretStreamListener l = listener;
      if (l != null) {
        delivered = true;
        l.onMessage(SecretStream.this, plaintext);
      } else {
        inbox.put(plaintext);
      }
    }
  }
}
