package io.hyperinfer.udx;

import io.hyperinfer.udx.wire.UdxHeader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One platform thread serving any number of {@link UdxSocket}s through one selector: it receives their datagrams,
 * runs the protocol of every stream it owns, fires timers and runs submitted tasks, reading the clock once per cycle
 * ({@link #nowNs}). Other threads reach it through {@link #execute}, an MPSC queue that wakes the thread only when it
 * sleeps. By default all sockets of one {@link Udx} share its {@link Udx#loop() default loop}; {@link Udx#createLoop}
 * makes more.
 *
 * <p>Confinement: the loop's state (its sockets' receive path, its streams, its timers) belongs to whoever owns the
 * loop. That is the loop thread, except while the thread sleeps in the selector: then a thread writing to a stream
 * may take ownership for the length of that one write ({@link #tryRunNow}), so a caller's bytes leave without
 * waking the loop. Ownership is a lock, so every change is seen by the next owner. Tasks run on the loop thread, and so
 * do listeners, except on a loop led by a caller waiting for its reply ({@link #leadUntil}): that caller receives
 * its own socket's datagrams and runs their listeners while it owns the loop, counting as the loop thread meanwhile
 * ({@link #inLoop}). Thread-safe entry points: {@link #execute}, {@link #schedule}, {@link #inLoop}, {@link #close},
 * {@link #leadUntil}.
 */
public final class UdxLoop implements AutoCloseable {
  /**
   * Longest sleep for a while after a writer owned the loop: a timer it armed (a loss probe, at least 2 ms out) then
   * fires in time without the writer having to wake the thread for it.
   */
  static final long TICK_NS = 1_000_000L;
  /** How long after the last write by another thread the loop keeps to {@link #TICK_NS}. */
  private static final long TICKING_NS = 1_000_000_000L;
  private static final ThreadLocal<Boolean> LOOP_THREAD = ThreadLocal.withInitial(() -> false);

  final Udx udx;
  final TimerQueue timers = new TimerQueue();
  final LoopBatch batch = new LoopBatch();
  /** The owner's buffers: every datagram received, and every datagram a stream sends, passes through them. */
  final ByteBuffer receiveBuffer = ByteBuffer.allocate(1 << 16);
  final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(1 << 16);
  final UdxHeader header = new UdxHeader();
  private final String name;
  private final ReentrantLock owner = new ReentrantLock();
  private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
  private final List<UdxSocket> sockets = new ArrayList<>();
  private Selector selector;
  private Thread thread;
  private volatile boolean started;
  private volatile boolean running = true;
  private volatile boolean sleeping;
  private volatile long plannedWakeNs = Long.MAX_VALUE;
  /** The socket a waiting caller polls and receives from, or null: the thread leaves it to that caller. */
  private final AtomicReference<UdxSocket> led = new AtomicReference<>();
  /** The leader while it runs the receive path as the owner (it counts as the loop thread then), else null. */
  private volatile Thread leaderThread;
  private volatile boolean parked;
  private long nowNs;
  private long tickUntilNs;

  UdxLoop(Udx udx, String name) {
    this.udx = udx;
    this.name = name;
  }

  /** Whether the caller is any loop's thread (which must never block waiting on another loop). */
  static boolean onAnyLoop() {
    return LOOP_THREAD.get();
  }

  /** Whether the caller is this loop's thread. */
  public boolean inLoop() {
    Thread current = Thread.currentThread();
    return current == thread || current == leaderThread;
  }

  /** Runs {@code task} on the loop thread: now if called there, else soon. Tasks must not block. */
  public void execute(Runnable task) {
    if (inLoop()) {
      task.run();
      return;
    }
    submit(task);
  }

  /** Runs {@code task} on the loop thread after {@code delay}. */
  public void schedule(Duration delay, Runnable task) {
    long delayNs = delay.toNanos();
    execute(() -> timers.schedule(nowNs + delayNs, task));
  }

  /** The time of the current cycle; only for the loop's owner. */
  long nowNs() {
    return nowNs;
  }

  /**
   * Runs a stream command now if that needs no hand-off: on the loop thread, or on the calling thread when the loop
   * sleeps with nothing queued and can be owned at once (the write path of a blocking caller). Returns false, having
   * run nothing, otherwise; the caller then queues it.
   */
  boolean tryRunNow(Runnable command) {
    if (inLoop()) {
      command.run();
      return true;
    }
    ensureStarted();
    if (sleeping && commands.isEmpty() && owner.tryLock()) {
      try {
        if (running && commands.isEmpty()) {
          runAsOwner(command);
          return true;
        }
      } finally {
        owner.unlock();
      }
    }
    return false;
  }

  /** Queues {@code task} for the loop thread, waking it if it sleeps. */
  void submit(Runnable task) {
    ensureStarted();
    if (!running) {
      throw UdxException.socketClosed();
    }
    commands.add(task);
    if (!running && commands.remove(task)) {
      throw UdxException.socketClosed(); // the loop stopped and drained its queue before this task arrived
    }
    if (sleeping) {
      wakeThread();
    }
  }

  /** Runs {@code task} on the loop thread and waits for it, unless called from a loop thread (then it runs now). */
  void call(Runnable task) {
    if (inLoop() || onAnyLoop()) {
      execute(task);
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    submit(() -> {
      try {
        task.run();
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    try {
      done.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * Waits for {@code reply} as this thread's loop leader where that saves a thread wake: if the calling thread's
   * last write since {@link #forgetWrite} went to a UDX stream (a request whose reply will come back on it), it
   * waits on that stream's socket itself ({@code poll(2)}, Linux), and receives and delivers what arrives as the
   * loop's owner, so the reply's listener completes {@code reply} on this very thread. Returns once {@code reply} is
   * done, or at once, or after 2 ms, when leading is not possible (another caller leads, no descriptor, a loop
   * thread calls); the caller then waits as usual ({@code join}). A no-op for any other transport. While it leads,
   * the loop thread parks and reads the loop's other sockets once per tick.
   */
  public static void leadUntil(CompletableFuture<?> reply) {
    LoopLeader.leadUntil(reply);
  }

  /** Forgets the calling thread's last UDX write, before it sends a request it may {@link #leadUntil} the reply of. */
  public static void forgetWrite() {
    LoopLeader.forgetWrite();
  }

  /** Makes {@code socket}'s waiting caller this loop's leader, unless another leads or the loop stopped. */
  boolean beginLead(UdxSocket socket) {
    return running && led.compareAndSet(null, socket);
  }

  /** The leader stopped leading: the thread reads its socket again (the selector still has what is unread). */
  void endLead() {
    led.set(null);
  }

  /** The leader's socket is readable: receive and deliver as the loop's owner, on the leader's thread. */
  void receiveAsLeader(UdxSocket socket) {
    owner.lock();
    try {
      if (!running) {
        return;
      }
      leaderThread = Thread.currentThread();
      LOOP_THREAD.set(true);
      try {
        nowNs = udx.nanoTime();
        socket.readDatagrams(this);
        batch.finish(this);
      } finally {
        LOOP_THREAD.remove();
        leaderThread = null;
      }
      if (timers.nextNs() < plannedWakeNs || !commands.isEmpty()) {
        wakeThread();
      }
    } finally {
      owner.unlock();
    }
  }

  /** Stops the thread after closing every socket on this loop (their streams fail with SOCKET_CLOSED). */
  @Override
  public void close() {
    synchronized (this) {
      if (!started) {
        running = false;
        return;
      }
    }
    if (running) {
      try {
        call(() -> running = false);
      } catch (UdxException e) {
        // already stopping
      }
    }
    if (!inLoop()) {
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  boolean running() {
    return running;
  }

  @Override
  public String toString() {
    return name;
  }

  // ---- loop side ----

  /** Registers a bound socket; loop thread. */
  SelectionKey register(UdxSocket socket) throws IOException {
    sockets.add(socket);
    return socket.channel().register(selector, SelectionKey.OP_READ, socket);
  }

  /** Forgets a closed socket; loop thread. */
  void deregister(UdxSocket socket) {
    sockets.remove(socket);
  }

  void ensureStarted() {
    if (started) {
      return;
    }
    synchronized (this) {
      if (started) {
        return;
      }
      if (!running) {
        throw UdxException.socketClosed();
      }
      try {
        selector = Selector.open();
      } catch (IOException e) {
        throw UdxException.socketFailed("cannot open a selector", e);
      }
      nowNs = udx.nanoTime();
      thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
      started = true;
      thread.start();
    }
  }

  /** A command run by a caller that took ownership while the thread slept. */
  private void runAsOwner(Runnable command) {
    nowNs = udx.nanoTime();
    guarded(command);
    batch.finishForeign();
    tickUntilNs = nowNs + TICKING_NS;
    if (timers.nextNs() < plannedWakeNs || batch.needsLoop()) {
      wakeThread(); // an earlier deadline than the thread sleeps for, or work only the thread may do
    }
  }

  /** Wakes the sleeping thread, whether it waits in the selector or parks while a caller leads. */
  private void wakeThread() {
    selector.wakeup();
    if (parked) {
      LockSupport.unpark(thread);
    }
  }

  private void run() {
    LOOP_THREAD.set(true);
    owner.lock();
    try {
      while (running) {
        nowNs = udx.nanoTime();
        runCommands();
        timers.runDue(nowNs, this::guarded);
        batch.finish(this);
        if (running) {
          sleep();
        }
      }
    } catch (IOException | RuntimeException e) {
      udx.loopFailures.incrementAndGet();
    } finally {
      running = false;
      shutdown();
      owner.unlock();
    }
  }

  /** Waits for datagrams, a timer or a command, then reads every ready socket; ownership is free meanwhile. */
  private void sleep() throws IOException {
    long next = timers.nextNs();
    if (tickUntilNs - nowNs > 0) {
      next = Math.min(next, nowNs + TICK_NS);
    }
    plannedWakeNs = next;
    sleeping = true;
    if (led.get() != null && commands.isEmpty() && next > nowNs) {
      parkWhileLed(Math.min(next - nowNs, TICK_NS));
      return;
    }
    if (!commands.isEmpty() || next <= nowNs) {
      sleeping = false;
      selector.selectNow();
    } else {
      long ms = next == Long.MAX_VALUE ? 0 : Math.max(1, (next - nowNs + 999_999) / 1_000_000);
      owner.unlock();
      try {
        selector.select(ms);
      } finally {
        owner.lock();
        sleeping = false;
      }
    }
    nowNs = udx.nanoTime();
    readReady();
  }

  /**
   * While a caller leads, the thread stays out of the selector, so the caller's datagrams wake only the caller: it
   * parks for at most a tick (or until a command or earlier timer wakes it), then reads its other sockets.
   */
  private void parkWhileLed(long parkNs) throws IOException {
    plannedWakeNs = nowNs + parkNs;
    parked = true;
    owner.unlock();
    try {
      if (commands.isEmpty()) { // a command queued before we said we park woke the selector, not us
        LockSupport.parkNanos(this, parkNs);
      }
    } finally {
      owner.lock();
      parked = false;
      sleeping = false;
    }
    nowNs = udx.nanoTime();
    selector.selectNow();
    readReady();
  }

  /** Reads every socket the selector found ready, except one a caller leads (its datagrams are that caller's). */
  private void readReady() {
    var ready = selector.selectedKeys();
    if (!ready.isEmpty()) {
      UdxSocket leader = led.get();
      for (SelectionKey key : ready) {
        if (key.isValid() && key.attachment() != leader) {
          ((UdxSocket) key.attachment()).readDatagrams(this);
        }
      }
      ready.clear();
    }
  }

  private void runCommands() {
    for (Runnable c; (c = commands.poll()) != null; ) {
      guarded(c);
    }
  }

  void guarded(Runnable task) {
    try {
      task.run();
    } catch (RuntimeException e) {
      udx.loopFailures.incrementAndGet();
    }
  }

  private void shutdown() {
    for (UdxSocket socket : List.copyOf(sockets)) {
      socket.closeOnLoop();
    }
    for (Runnable c; (c = commands.poll()) != null; ) {
      guarded(c); // tasks that wait for an answer (call) must not hang
    }
    try {
      selector.close();
    } catch (IOException | ClosedSelectorException ignored) {
      // closing anyway
    }
    udx.removeLoop(this);
  }
}
