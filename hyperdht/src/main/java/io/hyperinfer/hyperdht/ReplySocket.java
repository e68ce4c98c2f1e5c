package io.hyperinfer.hyperdht;

/** Which socket a reply or relayed request leaves from. */
public enum ReplySocket {
  /** The socket the request arrived on (dht-rpc's default). */
  RECEIVING,
  /**
   * The socket the local server named in its answer (its puncher socket when it plans to holepunch from there), or
   * the receiving socket when it named none.
   */
  SERVER_CHOSEN
}
