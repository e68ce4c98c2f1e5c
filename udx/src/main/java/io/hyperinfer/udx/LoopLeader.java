package io.hyperinfer.udx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Leader/follower waiting for a reply over UDX ({@link UdxLoop#leadUntil}). A blocking caller whose reply is handed
 * over by the loop thread pays three wakes per round trip: the loop's, woken by the datagram, and then its own. A
 * caller that waits on the socket itself and receives the datagram there pays one. Its wait blocks in the kernel, so
 * a virtual thread pins its carrier: at most one caller per core less one leads at once in the process (never every
 * carrier), each for at most {@value #LEAD_MS} ms; a slower reply is waited for as usual. Thread-safe.
 */
final class LoopLeader {
  /** How long a caller leads before it waits like any other (a reply that slow gains nothing from leading). */
  static final int LEAD_MS = 2;
  /**
   * Leaders at once, process-wide: each pins a carrier thread of the virtual threads while it polls, and one carrier
   * (one per core) is always left to the others; on one core, nobody leads.
   */
  private static final Semaphore LEADERS = new Semaphore(Math.max(0, Runtime.getRuntime().availableProcessors() - 1));
  /** The stream the calling thread last wrote to off the loop: where the reply to its request will arrive. */
  private static final ThreadLocal<UdxStream> LAST_WRITE = new ThreadLocal<>();

  private LoopLeader() {}

  /** A thread off the loops wrote to {@code stream}. */
  static void noteWrite(UdxStream stream) {
    if (!UdxLoop.onAnyLoop()) {
      LAST_WRITE.set(stream);
    }
  }

  static void forgetWrite() {
    LAST_WRITE.remove();
  }

  static void leadUntil(CompletableFuture<?> reply) {
    UdxStream stream = LAST_WRITE.get();
    if (stream == null) {
      return;
    }
    LAST_WRITE.remove();
    UdxLoop loop = stream.owner();
    UdxSocket socket = stream.socket();
    if (reply.isDone() || loop == null || socket == null || UdxLoop.onAnyLoop() || !SocketPoll.available()) {
      return;
    }
    int fd = socket.descriptor();
    if (fd < 0 || !LEADERS.tryAcquire()) {
      return;
    }
    try {
      if (loop.beginLead(socket)) {
        try {
          lead(loop, socket, fd, reply);
        } finally {
          loop.endLead();
        }
      }
    } finally {
      LEADERS.release();
    }
  }

  private static void lead(UdxLoop loop, UdxSocket socket, int fd, CompletableFuture<?> reply) {
    long deadline = System.nanoTime() + LEAD_MS * 1_000_000L;
    try (SocketPoll poll = new SocketPoll()) {
      while (!reply.isDone() && loop.running() && !socket.closed() && System.nanoTime() - deadline < 0) {
        int ready = poll.await(fd, 1);
        if (ready == SocketPoll.FAILED) {
          return;
        }
        if (ready == SocketPoll.READABLE) {
          loop.receiveAsLeader(socket);
        }
      }
    }
  }
}
