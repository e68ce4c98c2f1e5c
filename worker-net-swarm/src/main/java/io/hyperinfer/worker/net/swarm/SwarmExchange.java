package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.rpc.RpcSession;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.spi.Transport;
import java.util.concurrent.CompletableFuture;

/**
 * One request that reached our RPC server: its response (or error) completes the future protomux-rpc answers from, and
 * its events travel on the same connection as the request, so a caller hears its stream's chunks where it asked.
 * {@link #remote()} is the key the connection's Noise handshake proved. Thread-safe.
 */
final class SwarmExchange implements Transport.Exchange {
  private final PeerRef remote;
  private final String method;
  private final byte[] payload;
  private final RpcSession session;
  private final CompletableFuture<byte[]> outcome = new CompletableFuture<>();
  private volatile NetException lostEvent;

  SwarmExchange(PeerRef remote, String method, byte[] payload, RpcSession session) {
    this.remote = remote;
    this.method = method;
    this.payload = payload;
    this.session = session;
  }

  @Override
  public PeerRef remote() {
    return remote;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public void respond(byte[] value) {
    NetException lost = lostEvent;
    if (lost != null) {
      fail(lost);
    } else {
      outcome.complete(value);
    }
  }

  @Override
  public void fail(NetException error) {
    outcome.completeExceptionally(RpcErrors.toWire(error));
  }

  @Override
  public void event(String eventMethod, byte[] value) {
    try {
      session.event(eventMethod, value);
    } catch (RpcException e) {
      if (e.code() == RpcException.Code.ENCODE_ERROR) {
        // Too large for one frame: the caller would wait for it, so the reply becomes this error instead.
        lostEvent = NetException.badFrame("a '" + eventMethod + "' event of " + value.length + " bytes is too large");
      }
      // Otherwise the caller's connection is gone, and its loss ends the call here.
    }
  }

  /** Whether the request's RPC channel is still open (a loss of the caller's key reported late spares it). */
  @Override
  public boolean connectionOpen() {
    return !session.isClosed();
  }

  /** What protomux-rpc answers the request with, once the machinery settled it. */
  CompletableFuture<byte[]> outcome() {
    return outcome;
  }
}
