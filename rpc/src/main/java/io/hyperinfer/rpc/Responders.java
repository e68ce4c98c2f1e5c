package io.hyperinfer.rpc;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;

/**
 * Method name to handler, shared by all sessions of a server (so a method added later serves existing connections
 * too, as @hyperswarm/rpc does). Thread-safe.
 */
public final class Responders {
  private final ConcurrentMap<String, AsyncRpcHandler> handlers = new ConcurrentHashMap<>();
  private final Executor blockingExecutor;
  private volatile AsyncRpcHandler any;

  /** Blocking handlers run on {@code blockingExecutor} (one virtual thread per call by default). */
  public Responders(Executor blockingExecutor) {
    this.blockingExecutor = blockingExecutor;
  }

  public Responders() {
    this(RpcExecutors.handlers());
  }

  /** Serves {@code method} with a blocking handler, replacing any previous one. */
  public Responders respond(String method, RpcHandler handler) {
    handlers.put(method, request -> CompletableFuture.supplyAsync(() -> {
      try {
        return handler.handle(request);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, blockingExecutor));
    return this;
  }

  /** Serves {@code method} with a non-blocking handler, replacing any previous one. */
  public Responders respondAsync(String method, AsyncRpcHandler handler) {
    handlers.put(method, handler);
    return this;
  }

  public Responders unrespond(String method) {
    handlers.remove(method);
    return this;
  }

  /**
   * Serves every method that has no handler of its own with a non-blocking handler (null: such requests get
   * UNKNOWN_METHOD, the default). For a layer above that keeps its own registry and answers unknown methods itself.
   */
  public Responders respondAny(AsyncRpcHandler handler) {
    any = handler;
    return this;
  }

  AsyncRpcHandler get(String method) {
    AsyncRpcHandler handler = handlers.get(method);
    return handler != null ? handler : any;
  }
}
