package io.hyperinfer.hyperdht;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's punch counters (JS {@code dht.stats.punches}): punches started by strategy, connections made without a
 * punch because a side was open, and TRY_LATER answers. Thread-safe.
 */
public final class PunchStats {
  final AtomicLong consistent = new AtomicLong();
  final AtomicLong random = new AtomicLong();
  final AtomicLong open = new AtomicLong();
  final AtomicLong tryLater = new AtomicLong();
  final AtomicLong punched = new AtomicLong();
  final AtomicLong socketsOpened = new AtomicLong();
  final AtomicLong socketsClosed = new AtomicLong();

  /** A copy of the counters. */
  public Snapshot snapshot() {
    return new Snapshot(consistent.get(), random.get(), open.get(), tryLater.get(), punched.get(),
        socketsOpened.get(), socketsClosed.get());
  }

  /**
   * @param consistent punches between two consistent (or open) NATs
   * @param random punches where one side randomises its ports
   * @param open connections that needed no punch
   * @param tryLater rounds answered TRY_LATER
   * @param punched connections a punch made (ours)
   * @param socketsOpened pool sockets opened (JS {@code socketPool.socketsAdded})
   * @param socketsClosed pool sockets closed (JS {@code socketPool.socketsRemoved})
   */
  public record Snapshot(long consistent, long random, long open, long tryLater, long punched, long socketsOpened,
      long socketsClosed) {}
}
