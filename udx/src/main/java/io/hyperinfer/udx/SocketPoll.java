package io.hyperinfer.udx;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Waits for one UDP socket to be readable with {@code poll(2)} (via the FFM API), for a caller leading its loop
 * ({@link UdxLoop#leadUntil}). The call blocks in the kernel, so a virtual thread's carrier stays pinned meanwhile;
 * callers keep each wait short. Unavailable where the C library has no {@code poll}. Confined to one thread (it owns
 * its {@code pollfd} memory).
 */
final class SocketPoll implements AutoCloseable {
  /** The socket has a datagram to read. */
  static final int READABLE = 1;
  /** Nothing arrived within the timeout (or a signal interrupted the wait). */
  static final int NOTHING = 0;
  /** The descriptor failed (closed, error pending): stop waiting on it. */
  static final int FAILED = -1;

  private static final short POLLIN = 1;
  private static final Linker LINKER = Linker.nativeLinker();
  private static final MethodHandle POLL = LINKER.defaultLookup().find("poll")
      .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)))
      .orElse(null);
  private static final MethodHandle SCHED_YIELD = LINKER.defaultLookup().find("sched_yield")
      .map(s -> LINKER.downcallHandle(s, FunctionDescriptor.of(ValueLayout.JAVA_INT)))
      .orElse(null);

  private final Arena arena = Arena.ofConfined();
  private final MemorySegment pollFd = arena.allocate(8); // struct pollfd { int fd; short events; short revents; }

  static boolean available() {
    return POLL != null;
  }

  /** Waits up to {@code timeoutMs} for {@code fd} to be readable. */
  int await(int fd, int timeoutMs) {
    pollFd.set(ValueLayout.JAVA_INT, 0, fd);
    pollFd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
    pollFd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
    int ready;
    try {
      ready = (int) POLL.invokeExact(pollFd, 1L, timeoutMs);
    } catch (Throwable t) {
      return FAILED;
    }
    if (ready <= 0) {
      return NOTHING; // a timeout, or EINTR: the caller looks at its reply and its deadline again
    }
    return (pollFd.get(ValueLayout.JAVA_SHORT, 6) & POLLIN) != 0 ? READABLE : FAILED;
  }

  /**
   * Gives the core to any other runnable thread of the machine ({@code sched_yield(2)}), returning at once when there
   * is none: a spinning waiter stays on an idle core but does not hold one a busy machine's other threads need.
   */
  static void yieldCore() {
    if (SCHED_YIELD == null) {
      Thread.onSpinWait();
      return;
    }
    try {
      int ignored = (int) SCHED_YIELD.invokeExact();
    } catch (Throwable t) {
      Thread.onSpinWait();
    }
  }

  @Override
  public void close() {
    arena.close();
  }
}
