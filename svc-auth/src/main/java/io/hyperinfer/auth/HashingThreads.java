package io.hyperinfer.auth;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The platform threads Argon2id runs on. A hash is one long native call, during which a virtual thread cannot unmount:
 * run on the RPC handler's virtual thread, as many logins at once as there are carriers would stop every other call of
 * Auth (the gateways' session checks among them) until one ended. Callers park here while their hash runs; at most
 * {@code threads} hashes run at once, the rest wait in arrival order, which bounds Auth's hashing memory. Idle threads
 * end after {@link #IDLE_SECONDS}. Thread-safe.
 */
final class HashingThreads {
  static final long IDLE_SECONDS = 30;

  private final ThreadPoolExecutor pool;

  HashingThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("hashing needs at least one thread");
    }
    pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        Thread.ofPlatform().name("auth-argon2id-", 0).daemon().factory());
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * {@code hash}'s result, computed on one of these threads; its exception as thrown. The caller waits through
   * interrupts (a started hash cannot be stopped) and keeps its interrupt status.
   */
  <T> T run(Supplier<T> hash) {
    Future<T> result = pool.submit(hash::get);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return result.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Hashes waiting for a thread. */
  int waiting() {
    return pool.getQueue().size();
  }

  private static RuntimeException rethrow(Throwable t) {
    if (t instanceof Error e) {
      throw e;
    }
    return t instanceof RuntimeException r ? r : new IllegalStateException(t);
  }
}
