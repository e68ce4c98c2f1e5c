package io.hyperinfer.udx;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * Leader/follower waiting for a reply over UDX ({@link UdxLoop#leadUntil}). A blocking caller whose reply is handed
 * over by the loop thread pays three wakes per round trip: the loop's, woken by the datagram, and then its own. A
 * caller that waits on the socket itself and receives the datagram there pays one. Its wait blocks in the kernel, so
 * a virtual thread pins its carrier: at most one caller per core less one leads at once in the process (never every
 * carrier), each for at most {@value #LEAD_MS} ms; a slower reply is waited for as usual.
 *
 * <p>The leader first spins for up to {@link #SPIN_NS} ns (non-blocking polls, yielding the core between them to
 * any other runnable thread of the machine) before it blocks in {@code poll}: a thread blocked in the kernel is
 * woken by the reply's datagram, and on an idle virtual machine that wake includes waking a halted vCPU, 20 to 30 us
 * on this project's test machine (a sequential call over a HyperDHT connection took 76 us idle, for ~37 us of CPU).
 * A reply from a peer on the same host or LAN arrives within the window. A stream whose replies miss the window
 * {@value #SPIN_MISSES} times in a row stops spinning (its peer is slow or far, or the machine too busy for a spin
 * to pay) and tries again every {@value #SPIN_RETRY}th call. Thread-safe.
 */
final class LoopLeader {
  /** How long a caller leads before it waits like any other (a reply that slow gains nothing from leading). */
  static final int LEAD_MS = 2;
  /** How long a leader spins before it blocks ({@code hyperinfer.udx.leadSpinMicros}, default 100; 0 = never). */
  static final long SPIN_NS = Long.getLong("hyperinfer.udx.leadSpinMicros", 100) * 1_000L;
  /** Misses in a row after which a stream's callers stop spinning. */
  static final int SPIN_MISSES = 4;
  /** While spinning is off for a stream, one call in this many spins again to see whether it pays now. */
  static final int SPIN_RETRY = 32;
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
          lead(loop, socket, fd, reply, stream);
        } finally {
          loop.endLead();
        }
      }
    } finally {
      LEADERS.release();
    }
  }

  private static void lead(UdxLoop loop, UdxSocket socket, int fd, CompletableFuture<?> reply, UdxStream stream) {
    long start = System.nanoTime();
    long deadline = start + LEAD_MS * 1_000_000L;
    int misses = stream.leadSpinMisses;
    boolean spin = SPIN_NS > 0 && spins(misses);
    long spinUntil = spin ? start + SPIN_NS : start;
    try (SocketPoll poll = new SocketPoll()) {
      while (!reply.isDone() && loop.running() && !socket.closed()) {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
          break;
        }
        boolean spinning = now - spinUntil < 0;
        int ready = poll.await(fd, spinning ? 0 : 1);
        if (ready == SocketPoll.FAILED) {
          break;
        }
        if (ready == SocketPoll.READABLE) {
          loop.receiveAsLeader(socket);
        } else if (spinning) {
          SocketPoll.yieldCore();
        }
      }
    }
    stream.leadSpinMisses = missesAfter(misses, spin && reply.isDone() && System.nanoTime() - spinUntil < 0);
  }

  /** Whether a stream whose last leads missed the spin window {@code misses} times in a row spins this time. */
  static boolean spins(int misses) {
    return misses < SPIN_MISSES || misses % SPIN_RETRY == 0;
  }

  /** The miss count after a lead: reset by a reply inside the window, else one more (wrapping to a non-spin). */
  static int missesAfter(int misses, boolean hit) {
    return hit ? 0 : misses == Integer.MAX_VALUE ? SPIN_MISSES : misses + 1;
  }
}
