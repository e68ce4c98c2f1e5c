package io.hyperinfer.rpc;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.protomux.Channel;
import io.hyperinfer.protomux.ChannelListener;
import io.hyperinfer.protomux.Message;
import io.hyperinfer.protomux.Protomux;
import io.hyperinfer.rpc.internal.Errors;
import io.hyperinfer.rpc.wire.RpcCodecs;
import io.hyperinfer.rpc.wire.RpcMessage.Request;
import io.hyperinfer.rpc.wire.RpcMessage.Response;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamException;
import io.hyperinfer.udx.UdxLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One protomux-rpc 1.10.0 channel ("protomux-rpc", id = the server's public key): requests, responses and events
 * both ways. Values use optionalBuffer, the @hyperswarm/rpc default.
 *
 * <p>Thread-safe: state is guarded by the mux lock. Futures complete on the callback executor, never with the lock
 * held, so dependent stages may block.
 */
public final class RpcSession {
  /** The protocol name of the channel. */
  public static final String PROTOCOL = "protomux-rpc";
  /**
   * The largest encoded request or response this side sends: one secret-stream frame less protomux's channel id (a
   * uint, at most 9 bytes) and message type (1 byte). JS writes larger ones and its secret stream then destroys the
   * whole connection; here only that call fails, with {@code ENCODE_ERROR}, and the connection stays usable.
   */
  public static final int MAX_ENCODED = SecretStream.MAX_MESSAGE - 10;

  private record Pending(ResponseListener listener, Future<?> timer) {}

  /** Completes a future on the callback executor, so stages that depend on it never run on the reader. */
  private record FutureCompletion(CompletableFuture<byte[]> future, Executor executor) implements ResponseListener {
    @Override
    public void onResponse(byte[] value) {
      executor.execute(() -> future.complete(value));
    }

    @Override
    public void onError(RpcException error) {
      executor.execute(() -> future.completeExceptionally(error));
    }
  }

  /**
   * Completes the future of a blocking {@link #call} where the outcome is learnt. That future never escapes the call,
   * so no dependent stage can run here; this saves a thread hand-off per call.
   */
  private record DirectCompletion(CompletableFuture<byte[]> future) implements ResponseListener {
    @Override
    public void onResponse(byte[] value) {
      future.complete(value);
    }

    @Override
    public void onError(RpcException error) {
      future.completeExceptionally(error);
    }
  }

  private final Protomux mux;
  private final byte[] remotePublicKey;
  private final Channel channel;
  private final Message<Request> requestMessage;
  private final Message<Response> responseMessage;
  private final Responders responders;
  private final CapabilityCheck capability;
  private final Executor callbacks;
  private final Consumer<RpcSession> onClose;
  private final Map<Long, Pending> requests = new HashMap<>();
  private final CompletableFuture<Void> opened = new CompletableFuture<>();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private long nextId = 1;
  private int responding;
  private boolean ending;
  private boolean destroyed;
  private RpcException error;

  /**
   * Creates the channel on {@code mux} and sends its open.
   *
   * @param channelId the server's public key
   * @param remotePublicKey the peer's static public key (for handlers to authorize), or null if unknown
   * @param responders handlers for incoming requests (may be empty for a pure client)
   * @param capability the capability handshake, or null for none
   * @param onClose called once when the channel closed (@hyperswarm/rpc then destroys the stream)
   * @throws RpcException DUPLICATE_CHANNEL if the mux already has this channel
   */
  public RpcSession(Protomux mux, byte[] channelId, byte[] remotePublicKey, Responders responders,
      CapabilityCheck capability, Consumer<RpcSession> onClose) {
    this.mux = mux;
    this.remotePublicKey = remotePublicKey == null ? null : remotePublicKey.clone();
    this.responders = responders;
    this.capability = capability;
    this.callbacks = RpcExecutors.handlers();
    this.onClose = onClose;
    synchronized (mux) {
      Channel created = mux.createChannel(PROTOCOL, channelId, true, new Listener());
      if (created == null) {
        throw RpcException.duplicateChannel();
      }
      this.channel = created;
      this.requestMessage = channel.addMessage(RpcCodecs.REQUEST, (request, ch) -> onRequest(request));
      this.responseMessage = channel.addMessage(RpcCodecs.RESPONSE, (response, ch) -> onResponse(response));
      channel.open(capability == null ? null : capability.localHandshake());
    }
  }

  /**
   * Sends a request; the future fails with {@link RpcException} (remote error, timeout, closed channel, or
   * {@code ENCODE_ERROR} at once when the request exceeds {@link #MAX_ENCODED}).
   */
  public CompletableFuture<byte[]> request(String method, byte[] value, Duration timeout) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    RpcException refused = send(method, value, timeout, new FutureCompletion(future, callbacks));
    return refused == null ? future : CompletableFuture.failedFuture(refused);
  }

  /**
   * Sends a request whose outcome goes to {@code listener} on the connection's own thread (see
   * {@link ResponseListener}): no thread hand-off at all, for callers that chain requests without blocking. A request
   * that cannot be sent (closed channel, too large) is reported to the listener at once, on this thread.
   */
  public void request(String method, byte[] value, Duration timeout, ResponseListener listener) {
    RpcException refused = send(method, value, timeout, listener);
    if (refused != null) {
      listener.onError(refused);
    }
  }

  /**
   * Sends a request and blocks until its response: the fastest way for a (virtual) thread to wait for one.
   *
   * @throws RpcException remote error, TIMEOUT_EXCEEDED, CHANNEL_CLOSED, ENCODE_ERROR...
   */
  public byte[] call(String method, byte[] value, Duration timeout) {
    CompletableFuture<byte[]> future = new CompletableFuture<>();
    UdxLoop.forgetWrite();
    RpcException refused = send(method, value, timeout, new DirectCompletion(future));
    if (refused != null) {
      throw refused;
    }
    // over UDX, when this thread sent the request itself, it waits on the socket and takes the reply off it: the
    // reply then completes the future right here, with no hand-off from the loop thread (a no-op otherwise)
    UdxLoop.leadUntil(future);
    try {
      return future.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RpcException r ? r : RpcException.requestError(e.getCause());
    }
  }

  /** Sends the request, or returns why it cannot be sent (then {@code listener} is never called). */
  private RpcException send(String method, byte[] value, Duration timeout, ResponseListener listener) {
    synchronized (mux) {
      if (channel.isClosed()) {
        return RpcException.channelClosed();
      }
      RpcException tooLarge = oversized(nextId, method, value);
      if (tooLarge != null) {
        return tooLarge;
      }
      long id = nextId++;
      Future<?> timer = null;
      if (timeout != null && timeout.isPositive()) {
        long millis = timeout.toMillis();
        timer = RpcExecutors.timer().schedule(() -> onTimeout(id, millis), millis, TimeUnit.MILLISECONDS);
      }
      requests.put(id, new Pending(listener, timer));
      requestMessage.send(new Request(id, method, Compact.encode(Compact.OPTIONAL_BUFFER, value)));
      return null;
    }
  }

  /** Same as {@code request(method, value, null)}: no timeout, as in JS. */
  public CompletableFuture<byte[]> request(String method, byte[] value) {
    return request(method, value, null);
  }

  /**
   * Sends an event (request id 0, no response).
   *
   * @throws RpcException CHANNEL_CLOSED when the channel is closed, ENCODE_ERROR when the event exceeds
   *     {@link #MAX_ENCODED} (nothing is sent)
   */
  public void event(String method, byte[] value) {
    synchronized (mux) {
      if (channel.isClosed()) {
        throw RpcException.channelClosed();
      }
      RpcException tooLarge = oversized(0, method, value);
      if (tooLarge != null) {
        throw tooLarge;
      }
      requestMessage.send(new Request(0, method, Compact.encode(Compact.OPTIONAL_BUFFER, value)));
    }
  }

  /** Closes the channel once no requests or responses are pending; completes when closed. */
  public CompletableFuture<Void> end() {
    synchronized (mux) {
      ending = true;
      endMaybe();
    }
    return closed;
  }

  /** Closes now: pending requests fail with {@code cause} (CHANNEL_DESTROYED when null). */
  public void destroy(RpcException cause) {
    synchronized (mux) {
      if (destroyed) {
        return;
      }
      destroyed = true;
      error = cause != null ? cause : RpcException.channelDestroyed();
      channel.close();
    }
  }

  /** Completes when both opens were exchanged (and the capability matched). */
  public CompletableFuture<Void> opened() {
    return opened;
  }

  /** Completes when the channel closed. */
  public CompletableFuture<Void> closed() {
    return closed;
  }

  public boolean isOpened() {
    return channel.isOpened();
  }

  public boolean isClosed() {
    return channel.isClosed();
  }

  /** The peer's static public key, or null if the transport did not say. */
  public byte[] remotePublicKey() {
    return remotePublicKey == null ? null : remotePublicKey.clone();
  }

  /** The mux under this session. */
  public Protomux mux() {
    return mux;
  }

  /** Requests still waiting for a response. */
  public int pendingRequests() {
    synchronized (mux) {
      return requests.size();
    }
  }

  private void onRequest(Request request) {
    AsyncRpcHandler handler = responders.get(request.method());
    long id = request.id();
    if (handler == null) {
      if (id != 0) {
        sendError(id, RpcException.unknownMethod(request.method()));
      }
      endMaybe();
      return;
    }
    responding++;
    CompletionStage<byte[]> stage;
    try {
      byte[] value = Compact.decode(Compact.OPTIONAL_BUFFER, request.value());
      stage = invoke(handler, new RpcRequest(request.method(), value, id == 0, this));
    } catch (EncodingException e) {
      stage = CompletableFuture.failedFuture(RpcException.decodeError("Could not decode request", e));
    }
    stage.whenComplete((value, failure) -> finish(id, value, failure));
  }

  private static CompletionStage<byte[]> invoke(AsyncRpcHandler handler, RpcRequest request) {
    try {
      CompletionStage<byte[]> stage = handler.handle(request);
      return stage != null ? stage : CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(RpcException.requestError(e));
    }
  }

  private void finish(long id, byte[] value, Throwable failure) {
    synchronized (mux) {
      responding--;
      if (id != 0 && !channel.isClosed()) {
        if (failure == null) {
          respond(new Response(id, Compact.encode(Compact.OPTIONAL_BUFFER, value), null));
        } else {
          sendError(id, asResponseError(failure));
        }
      }
      endMaybe();
    }
  }

  private static RpcException asResponseError(Throwable failure) {
    Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    if (t instanceof RpcException r && (r.code() == RpcException.Code.REQUEST_ERROR
        || r.code() == RpcException.Code.DECODE_ERROR)) {
      return r;
    }
    return RpcException.requestError(t);
  }

  private void sendError(long id, RpcException error) {
    respond(new Response(id, null, Errors.toWire(error)));
  }

  /** Sends a response; one too large for a frame becomes ENCODE_ERROR, as JS answers a response it cannot encode. */
  private void respond(Response response) {
    int length = response.error() == null && response.value().length + 10L <= MAX_ENCODED ? 0
        : RpcCodecs.RESPONSE.encodedLength(response);
    if (length > MAX_ENCODED) {
      RpcException error = RpcException.encodeError("Could not encode response", frameOverflow("response", length));
      response = new Response(response.id(), null, Errors.toWire(error));
    }
    responseMessage.send(response);
  }

  /**
   * ENCODE_ERROR when a request (or event, id 0) would exceed {@link #MAX_ENCODED}, else null. Measured exactly
   * only when a cheap upper bound (3 UTF-8 bytes a char, 9 bytes a uint) says it may.
   */
  static RpcException oversized(long id, String method, byte[] value) {
    long bound = (value == null ? 0 : value.length) + 3L * method.length() + 27;
    if (bound <= MAX_ENCODED) {
      return null;
    }
    long length = Buf.uintLength(id) + Compact.STRING.encodedLength(method)
        + Compact.OPTIONAL_BUFFER.encodedLength(value);
    return length <= MAX_ENCODED ? null
        : RpcException.encodeError("Could not encode request", frameOverflow("request", length));
  }

  private static SecretStreamException frameOverflow(String what, long length) {
    return new SecretStreamException(SecretStreamException.Code.MESSAGE_TOO_LARGE,
        "the " + what + " is " + length + " bytes encoded; one frame carries at most " + MAX_ENCODED);
  }

  private void onResponse(Response response) {
    Pending pending = response.id() == 0 ? null : requests.remove(response.id());
    if (pending == null) {
      return;
    }
    if (pending.timer() != null) {
      pending.timer().cancel(false);
    }
    if (response.error() != null) {
      fail(pending, Errors.fromWire(response.error()));
    } else {
      try {
        complete(pending, Compact.decode(Compact.OPTIONAL_BUFFER, response.value()));
      } catch (EncodingException e) {
        fail(pending, RpcException.decodeError("Could not decode response", e));
      }
    }
    endMaybe();
  }

  private void onTimeout(long id, long millis) {
    synchronized (mux) {
      Pending pending = requests.remove(id);
      if (pending != null) {
        fail(pending, RpcException.timeoutExceeded(millis));
        endMaybe();
      }
    }
  }

  private void endMaybe() {
    if (ending && responding == 0 && requests.isEmpty()) {
      channel.close();
    }
  }

  private static void complete(Pending pending, byte[] value) {
    pending.listener().onResponse(value);
  }

  private static void fail(Pending pending, RpcException cause) {
    pending.listener().onError(cause);
  }

  private final class Listener implements ChannelListener {
    @Override
    public void onOpen(Channel ch, byte[] remoteHandshake) {
      if (capability != null && !capability.verify(remoteHandshake)) {
        destroy(RpcException.invalidCapability());
        return;
      }
      callbacks.execute(() -> opened.complete(null));
    }

    @Override
    public void onClose(Channel ch, boolean byRemote) {
      RpcException cause = error != null ? error : RpcException.channelClosed();
      List<Pending> failed = new ArrayList<>(requests.values());
      requests.clear();
      ending = true;
      for (Pending pending : failed) {
        if (pending.timer() != null) {
          pending.timer().cancel(false);
        }
        fail(pending, cause);
      }
      callbacks.execute(() -> {
        opened.completeExceptionally(cause);
        closed.complete(null);
        onClose.accept(RpcSession.this);
      });
    }
  }
}
