package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import java.util.concurrent.CompletionStage;

/**
 * A server listening on this node for connections to one target ({@code lib/server.js} as the router sees it:
 * {@code _onpeerhandshake} and {@code _onpeerholepunch}). Registered with {@link HyperDht#listen}; the node's router
 * hands it every handshake and holepunch round addressed to its target, then answers or relays what it returns.
 *
 * <p>Both methods are called on the node's loop and must not block; the returned stage may complete on any thread.
 * Completing with null (or exceptionally) means silence: the request is dropped and counted as
 * {@link DropReason#SERVER_DECLINED}, as JS drops it when the server returns nothing or throws.
 */
public interface LocalServer {
  /**
   * Noise message 1 of a client (mode FROM_CLIENT when the client came straight here, FROM_RELAY or
   * FROM_SECOND_RELAY when a relay forwarded it).
   *
   * @param handshake the message as received: its noise, and the client's address as the relay saw it (null when
   *     direct)
   * @param request the request it came in: its sender ({@code from}), this node's address as the sender addressed it
   *     ({@code to}, the server's address) and the socket it arrived on
   * @return Noise message 2 and the socket the answer leaves from, or null to stay silent
   */
  CompletionStage<Answer> onHandshake(Handshake handshake, IncomingRequest request);

  /**
   * A client's holepunch round, relayed (mode FROM_RELAY, with the client's address as the relay saw it).
   *
   * @param holepunch the round: the handshake slot {@code id}, the sealed payload and the client's address
   * @param request the request it came in
   * @return the sealed reply payload and the socket it leaves from (the server's puncher socket), or null
   */
  CompletionStage<Answer> onHolepunch(Holepunch holepunch, IncomingRequest request);

  /**
   * A server's answer.
   *
   * @param value Noise message 2, or the sealed holepunch reply payload
   * @param socket the socket the reply or relayed answer leaves from, or null for the one the request arrived on
   */
  record Answer(byte[] value, DhtSocket socket) {
    /** The value is required. */
    public Answer {
      if (value == null) {
        throw new IllegalArgumentException("an answer needs a value");
      }
    }
  }
}
