package io.hyperinfer.dht;

import io.hyperinfer.encoding.HostPort;

/**
 * How to answer a request (JS {@code req.reply(value, opts)} / {@code req.error(code, opts)}).
 *
 * @param token include a fresh token for the requester's IP
 * @param closerNodes include the table's closest nodes to the request's target (only if it had one)
 * @param to send the answer there, and write it in the answer's {@code to} field (null: the requester)
 * @param socket send from this socket (null: the one the request arrived on)
 */
public record ReplyOptions(boolean token, boolean closerNodes, HostPort to, DhtSocket socket) {
  /** {@code reply} defaults: token and closer nodes. */
  public static final ReplyOptions REPLY = new ReplyOptions(true, true, null, null);
  /** {@code error} defaults: no token, closer nodes. */
  public static final ReplyOptions ERROR = new ReplyOptions(false, true, null, null);
  /** Neither token nor closer nodes (hyperdht's ANNOUNCE and handshake replies). */
  public static final ReplyOptions BARE = new ReplyOptions(false, false, null, null);

  public ReplyOptions withToken(boolean on) {
    return new ReplyOptions(on, closerNodes, to, socket);
  }

  public ReplyOptions withCloserNodes(boolean on) {
    return new ReplyOptions(token, on, to, socket);
  }

  public ReplyOptions withTo(HostPort address) {
    return new ReplyOptions(token, closerNodes, address, socket);
  }

  public ReplyOptions withSocket(DhtSocket from) {
    return new ReplyOptions(token, closerNodes, to, from);
  }
}
