package io.hyperinfer.dht;

import io.hyperinfer.encoding.HostPort;

/**
 * A request another node sent to this one (dht-rpc's {@code req} in {@code on('request')}). The accessors may be
 * read on any thread. {@link #reply}, {@link #error} and {@link #relay} may be called on any thread, at any later
 * time (they run on the node's loop); answer at most once, or not at all to stay silent (the sender times out).
 */
public interface IncomingRequest {
  /** The transaction id the answer must echo. */
  int tid();

  /** The sender; its id is set only when the sender sent one that matches its source address. */
  Peer from();

  /** This node's address as the sender addressed it. */
  HostPort to();

  /** The token the sender presented; never an invalid one (those are answered INVALID_TOKEN before handlers). */
  byte[] token();

  /** Whether this is one of dht-rpc's own commands ({@link Commands}); handlers only ever see external ones. */
  boolean internal();

  long command();

  /** The 32-byte key the command is about, or null. */
  byte[] target();

  /** The payload, or null. */
  byte[] value();

  /** The socket the request arrived on; replies leave from it unless told otherwise. */
  DhtSocket socket();

  /**
   * Whether it arrived on the socket this node does not send from (JS's {@code external}: a firewalled node's server
   * socket, a persistent node's client socket, or any extra socket).
   */
  boolean external();

  /** Replies with {@code value} (may be null), a token and, when the request had a target, closer nodes. */
  default void reply(byte[] value) {
    reply(value, ReplyOptions.REPLY);
  }

  /** Replies with {@code value} as {@code options} say. */
  void reply(byte[] value, ReplyOptions options);

  /** Answers with error {@code code}, no token and, when the request had a target, closer nodes. */
  default void error(long code) {
    error(code, ReplyOptions.ERROR);
  }

  /** Answers with error {@code code} as {@code options} say. */
  void error(long code, ReplyOptions options);

  /**
   * Re-sends this request to {@code to} as a new request with the same tid, command, target and internal flag,
   * value {@code value}, no token, {@code to} as its destination, from the receiving socket. The node that answers
   * answers the original sender directly (matched by tid). Fire and forget.
   */
  default void relay(byte[] value, HostPort to) {
    relay(value, to, null);
  }

  /** {@link #relay(byte[], HostPort)} from {@code socket} (null: the receiving socket). */
  void relay(byte[] value, HostPort to, DhtSocket socket);
}
