package io.hyperinfer.hyperdht.wire;

import io.hyperinfer.encoding.DecodeException;

/**
 * Where a PEER_HANDSHAKE or PEER_HOLEPUNCH message is in its trip between client, relays and server
 * ({@code lib/router.js} constants); the {@code mode} uint of {@link Handshake} and {@link Holepunch}.
 */
public enum RouteMode {
  /** Sent by the client to a node. */
  FROM_CLIENT(0),
  /** Sent by the server back to the relay that forwarded the client's message. */
  FROM_SERVER(1),
  /** Forwarded by the first relay to the server (or to a second relay). */
  FROM_RELAY(2),
  /** Forwarded by a second relay to the server. */
  FROM_SECOND_RELAY(3),
  /** The relay's response to the client. */
  REPLY(4);

  private static final RouteMode[] BY_WIRE = values();

  private final int wire;

  RouteMode(int wire) {
    this.wire = wire;
  }

  /** The uint on the wire. */
  public int wire() {
    return wire;
  }

  /**
   * The mode for a wire value. JS decodes any uint and then ignores modes it does not know, which is what a
   * rejected decode leads to as well (a silent drop, or BAD_HANDSHAKE_REPLY at a client).
   */
  static RouteMode fromWire(long wire) {
    if (wire < 0 || wire >= BY_WIRE.length) {
      throw DecodeException.outOfRange("route mode " + wire);
    }
    return BY_WIRE[(int) wire];
  }
}
