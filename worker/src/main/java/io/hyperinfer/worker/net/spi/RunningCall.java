package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.CancelSignal;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One call running on the handler's side: who made it (the proven key), its cancel signal, its deadline timer, and how
 * to end it from outside (deadline, cancel frame, lost connection, stop). Identity-compared. Thread-safe.
 */
final class RunningCall {
  /** A stream as its caller named it: ids are the caller's, so they are unique per caller only. */
  record StreamKey(PeerRef from, long stream) {}

  private static final Runnable NO_TIMER = () -> {};

  private final PeerRef from;
  private final String method;
  private final BooleanSupplier connectionOpen;
  private final CancelSignal cancel = new CancelSignal();
  private volatile Runnable timer = NO_TIMER;
  private volatile Consumer<NetException> ender = e -> { };
  private final AtomicBoolean admitted = new AtomicBoolean();
  private volatile StreamKey streamKey;
  private volatile JsonNode streamPayload;
  private volatile ServerStream sink;

  RunningCall(PeerRef from, String method) {
    this(from, method, () -> false);
  }

  /** {@code connectionOpen}: whether the connection the call came on is still open (false: cannot tell). */
  RunningCall(PeerRef from, String method, BooleanSupplier connectionOpen) {
    this.from = from;
    this.method = method;
    this.connectionOpen = connectionOpen;
  }

  /** Whether a loss of {@link #from} ends this call: its connection is gone, or the transport cannot tell. */
  boolean lostWith(PeerRef peer) {
    return from.equals(peer) && !connectionOpen.getAsBoolean();
  }

  PeerRef from() {
    return from;
  }

  String method() {
    return method;
  }

  CancelSignal cancel() {
    return cancel;
  }

  /** Sets the deadline's cancel handle and what ends the call's reply. */
  void arm(Runnable cancelTimer, Consumer<NetException> replyEnder) {
    timer = cancelTimer;
    ender = replyEnder;
  }

  /** Cancels the deadline: the call is over. */
  void disarm() {
    timer.run();
  }

  /**
   * Ends the call from outside: the caller gets {@code error} unless already answered, then the handler's cancel signal
   * fires (in that order, so a handler that returns as soon as it is cancelled cannot answer first).
   */
  void end(NetException error) {
    ender.accept(error);
    cancel.cancel();
  }

  void admitted(boolean yes) {
    admitted.set(yes);
  }

  boolean isAdmitted() {
    return admitted.get();
  }

  /** Whether this call held an admission and gave it up now (true once, whoever asks first). */
  boolean takeAdmission() {
    return admitted.compareAndSet(true, false);
  }

  void openStream(StreamKey key, JsonNode payload, ServerStream streamSink) {
    streamKey = key;
    streamPayload = payload;
    sink = streamSink;
  }

  StreamKey streamKey() {
    return streamKey;
  }

  JsonNode streamPayload() {
    return streamPayload;
  }

  ServerStream sink() {
    return sink;
  }
}
