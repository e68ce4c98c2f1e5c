package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.ReplyOptions;
import io.hyperinfer.dht.wire.RequestMessage;
import io.hyperinfer.encoding.HostPort;

/**
 * A request received (dht-rpc {@code io.js Request}, receiving side). Fields are immutable; answers may come from
 * any thread and are carried out on the node's loop.
 */
final class InboundRequest implements IncomingRequest {
  private final Io io;
  private final DhtSocket socket;
  private final RequestMessage message;
  private final Peer from;
  private final boolean external;

  InboundRequest(Io io, DhtSocket socket, RequestMessage message, Peer from, boolean external) {
    this.io = io;
    this.socket = socket;
    this.message = message;
    this.from = from;
    this.external = external;
  }

  RequestMessage message() {
    return message;
  }

  @Override
  public int tid() {
    return message.tid();
  }

  @Override
  public Peer from() {
    return from;
  }

  @Override
  public HostPort to() {
    return message.to();
  }

  @Override
  public byte[] token() {
    return message.token();
  }

  @Override
  public boolean internal() {
    return message.internal();
  }

  @Override
  public long command() {
    return message.command();
  }

  @Override
  public byte[] target() {
    return message.target();
  }

  @Override
  public byte[] value() {
    return message.value();
  }

  @Override
  public DhtSocket socket() {
    return socket;
  }

  @Override
  public boolean external() {
    return external;
  }

  @Override
  public void reply(byte[] value, ReplyOptions options) {
    answer(0, value, options);
  }

  @Override
  public void error(long code, ReplyOptions options) {
    if (code < 1) {
      throw new IllegalArgumentException("error code must be >= 1: " + code);
    }
    answer(code, null, options);
  }

  @Override
  public void relay(byte[] value, HostPort to, DhtSocket from) {
    DhtSocket s = from != null ? from : socket;
    io.host.onLoop(() -> io.relay(this, value, to, s));
  }

  /** An empty answer with the given parts, sent to {@code to} (PING_NAT rewrites the port). */
  void sendInternalReply(boolean closerNodes, HostPort to) {
    io.sendReply(this, 0, null, false, closerNodes, to, socket);
  }

  void sendError(long code, boolean closerNodes) {
    io.sendReply(this, code, null, false, closerNodes, from.address(), socket);
  }

  private void answer(long code, byte[] value, ReplyOptions o) {
    HostPort to = o.to() != null ? o.to() : from.address();
    DhtSocket s = o.socket() != null ? o.socket() : socket;
    io.host.onLoop(() -> io.sendReply(this, code, value, o.token(), o.closerNodes(), to, s));
  }
}
