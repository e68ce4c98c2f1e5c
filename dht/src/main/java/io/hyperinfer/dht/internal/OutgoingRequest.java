package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.wire.RequestMessage;

/**
 * One request of this node in flight (dht-rpc {@code io.js Request}, sending side): its tid, the exact bytes every
 * send repeats, its send count and timer. It settles once: with a response, or with an error when it times out or
 * is destroyed. Confined to the loop thread.
 */
final class OutgoingRequest {
  /** How a request's owner learns its outcome. */
  interface Callbacks {
    void onResponse(Response response, OutgoingRequest request);

    void onError(DhtException error, OutgoingRequest request);
  }

  final Io io;
  final int tid;
  /** The destination; its id, when known, lets a timeout remove it from the table. */
  final Peer to;
  final byte[] token;
  final boolean internal;
  final long command;
  final byte[] target;
  final byte[] value;
  final long createdMs;
  DhtSocket socket;
  SessionImpl session;
  int sessionIndex = -1;
  int retries = Io.DEFAULT_RETRIES;
  long timeoutMs;
  int sent;
  boolean destroyed;
  boolean queued;
  /** Called when a send's wait ends without a reply, before any resend; null once used (query.js "slow"). */
  Runnable onCycle;
  Callbacks callbacks;
  Timers.Timer timer;
  private byte[] datagram;

  OutgoingRequest(Io io, int tid, Peer to, byte[] token, boolean internal, long command, byte[] target, byte[] value,
      long createdMs) {
    this.io = io;
    this.tid = tid;
    this.to = to;
    this.token = token;
    this.internal = internal;
    this.command = command;
    this.target = target;
    this.value = value;
    this.createdMs = createdMs;
  }

  /** Sends now, or queues behind a full congestion window unless {@code force}. */
  void send(boolean force) {
    if (datagram == null) {
      datagram = new RequestMessage(tid, to.address(), io.senderId(socket), token, internal, command, target, value)
          .encode();
    }
    if (!force && io.congestion.isFull()) {
      io.enqueue(this);
      return;
    }
    sendNow();
  }

  /** One send and its wait; never called on a destroyed request (they leave the pending queue). */
  void sendNow() {
    sent++;
    io.congestion.send();
    io.transmit(socket, datagram, to.address());
    long wait = timeoutMs > 0 ? timeoutMs : Io.DEFAULT_TIMEOUT_MS;
    timer = io.host.timers().schedule(io.host.nowMs() + wait, this::onTimer);
  }

  /** Cancels the request; its owner gets {@code error}. */
  void destroy(DhtException error) {
    if (destroyed) {
      return;
    }
    destroyed = true;
    cancelTimer();
    if (!io.forget(this)) {
      return;
    }
    callbacks.onError(error, this);
  }

  void cancelTimer() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
  }

  private void onTimer() {
    timer = null;
    Runnable cycle = onCycle;
    if (cycle != null) {
      cycle.run();
    }
    if (destroyed) {
      return;
    }
    if (sent > retries) {
      io.timeouts++;
      destroy(DhtException.requestTimeout());
      io.host.onTimeout(this);
    } else {
      io.retries++;
      send(false);
    }
  }
}
