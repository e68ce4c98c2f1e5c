package io.hyperinfer.secretstream;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.noise.HandshakeResult;
import io.hyperinfer.secretstream.internal.Session;
import java.time.Clock;
import java.time.Duration;

/** Options for one {@link SecretStream}; {@link #start()} builds it and starts its reader. Not thread-safe. */
public final class SecretStreamBuilder {
  /** Messages buffered for {@link SecretStream#read()} before the reader stops reading the raw stream. */
  public static final int DEFAULT_INBOX_CAPACITY = 256;

  final RawStream raw;
  final boolean initiator;
  KeyPair keyPair;
  HandshakeResult handshake;
  Duration keepAlive = Duration.ZERO;
  Duration timeout = Duration.ZERO;
  Duration handshakeTimeout = Duration.ZERO;
  int handshakeFrameLimit = Session.DEFAULT_HANDSHAKE_FRAME_LIMIT;
  Boolean filterEmptyMessages;
  Clock clock = Clock.systemUTC();
  SecretStreamListener listener;
  int inboxCapacity = DEFAULT_INBOX_CAPACITY;

  SecretStreamBuilder(RawStream raw, boolean initiator) {
    this.raw = raw;
    this.initiator = initiator;
  }

  /** Static key for the XX handshake; default a fresh random key pair. Ignored with {@link #handshake}. */
  public SecretStreamBuilder keyPair(KeyPair keyPair) {
    this.keyPair = keyPair;
    return this;
  }

  /** Skip the XX handshake: use the keys and hash of one already done (hyperdht's IK). Default none. */
  public SecretStreamBuilder handshake(HandshakeResult handshake) {
    this.handshake = handshake;
    return this;
  }

  /** Send an empty message after this long without writes; default zero = off (hyperdht uses 5 s). */
  public SecretStreamBuilder keepAlive(Duration interval) {
    this.keepAlive = interval;
    return this;
  }

  /**
   * Destroy the stream with {@code TIMEOUT} when nothing at all is received for this long, from the start (so a
   * handshake that stalls counts); default zero = off. As JS {@code setTimeout(ms)} right after construction; see
   * {@link SecretStream#setTimeout}.
   */
  public SecretStreamBuilder timeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /**
   * Destroy the stream with {@code TIMEOUT} ("Handshake timed out") unless the handshake finishes within this long
   * of {@link #start()}, however many bytes trickle in meanwhile; default zero = no deadline (JS has none). Listeners
   * set one so a peer cannot hold a connection open without completing it.
   */
  public SecretStreamBuilder handshakeTimeout(Duration timeout) {
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("handshake timeout must not be negative: " + timeout);
    }
    this.handshakeTimeout = timeout;
    return this;
  }

  /**
   * Largest frame accepted before the handshake completes; a longer length prefix fails the handshake at once,
   * before its body is buffered. Default {@value Session#DEFAULT_HANDSHAKE_FRAME_LIMIT} (XX frames are at most 96
   * bytes). After the handshake the peer's header frame must be exactly 56 bytes, and data frames may use the full
   * 2^24 - 1.
   */
  public SecretStreamBuilder handshakeFrameLimit(int bytes) {
    if (bytes < 96 || bytes > Session.MAX_MESSAGE) {
      throw new IllegalArgumentException("handshake frame limit must be within 96.." + Session.MAX_MESSAGE);
    }
    this.handshakeFrameLimit = bytes;
    return this;
  }

  /** Drop empty messages from the peer; default true exactly when keepalive is on, as in JS. */
  public SecretStreamBuilder filterEmptyMessages(boolean filter) {
    this.filterEmptyMessages = filter;
    return this;
  }

  /** Time source for keepalive and the idle timeout; default the system clock. */
  public SecretStreamBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** Deliver messages to this listener instead of {@link SecretStream#read()}; default none. */
  public SecretStreamBuilder listener(SecretStreamListener listener) {
    this.listener = listener;
    return this;
  }

  /** Messages buffered for {@code read()}; default {@value #DEFAULT_INBOX_CAPACITY}. */
  public SecretStreamBuilder inboxCapacity(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("inbox capacity must be positive");
    }
    this.inboxCapacity = capacity;
    return this;
  }

  /** Builds the stream and starts its reader (a platform thread) and its keepalive and timeout watcher (virtual). */
  public SecretStream start() {
    if (keyPair == null && handshake == null) {
      keyPair = Ed25519.generate();
    }
    SecretStream stream = new SecretStream(this);
    stream.startThreads();
    return stream;
  }

  boolean filterEmpty() {
    return filterEmptyMessages != null ? filterEmptyMessages : !keepAlive.isZero();
  }
}
