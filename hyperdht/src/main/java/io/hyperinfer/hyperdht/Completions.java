package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.Query;
import io.hyperinfer.dht.QueryResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Moves the completion of the node's futures off its loop, so a caller's dependent stages (which may block) never run
 * there, and runs short reads on the loop for callers elsewhere. Thread-safe.
 */
final class Completions {
  private static final long READ_TIMEOUT_SECONDS = 30;
  private final Executor executor;

  Completions(Executor executor) {
    this.executor = executor;
  }

  /** A future with {@code f}'s outcome, completed through the executor. */
  <T> CompletableFuture<T> off(CompletableFuture<T> f) {
    CompletableFuture<T> out = new CompletableFuture<>();
    f.whenComplete((v, e) -> executor.execute(() -> {
      if (e != null) {
        out.completeExceptionally(e instanceof java.util.concurrent.CompletionException c && c.getCause() != null
            ? c.getCause() : e);
      } else {
        out.complete(v);
      }
    }));
    return out;
  }

  /** {@code q} with its {@code finished()} completed through the executor. */
  <T> Query<T> off(Query<T> q) {
    CompletableFuture<QueryResult<T>> finished = off(q.finished());
    return new Query<>() {
      @Override
      public CompletableFuture<QueryResult<T>> finished() {
        return finished;
      }

      @Override
      public void destroy() {
        q.destroy();
      }
    };
  }

  /** Runs {@code task} on {@code node}'s loop and passes its future on; fails if the node is closed. */
  <T> CompletableFuture<T> callOnLoop(DhtNode node, Supplier<CompletableFuture<T>> task) {
    CompletableFuture<T> out = new CompletableFuture<>();
    if (node.destroyed()) {
      out.completeExceptionally(DhtException.nodeDestroyed());
      return out;
    }
    node.execute(() -> {
      try {
        task.get().whenComplete((v, e) -> {
          if (e != null) {
            out.completeExceptionally(e);
          } else {
            out.complete(v);
          }
        });
      } catch (RuntimeException e) {
        out.completeExceptionally(e);
      }
    });
    return out;
  }

  /** {@code read} run on the loop (directly when called there, or once the loop is gone), waited for. */
  <T> T onLoop(DhtNode node, Supplier<T> read) {
    if (node.inLoop() || node.destroyed()) {
      return read.get();
    }
    try {
      return callOnLoop(node, () -> CompletableFuture.completedFuture(read.get()))
          .get(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (TimeoutException e) {
      throw DhtException.nodeDestroyed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DhtException.nodeDestroyed();
    }
  }
}
