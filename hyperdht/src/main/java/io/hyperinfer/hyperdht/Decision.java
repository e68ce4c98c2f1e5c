package io.hyperinfer.hyperdht;

import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.PluginRequest;

/**
 * What the record and forwarding roles decided about a request: an {@link Outcome} to carry out, or a hand-over to a
 * local server or a plugin whose answer completes it.
 */
public sealed interface Decision permits Outcome, Decision.ServerHandshake, Decision.ServerHolepunch,
    Decision.ToPlugin {

  /**
   * Give the Noise message to the local server listening on {@code target}; pass its answer to
   * {@link Router#onServerHandshake}.
   *
   * @param target the server's target (hash of its public key)
   * @param handshake the message as received (its noise, and the client's address when relayed)
   */
  record ServerHandshake(Bytes32 target, Handshake handshake) implements Decision {}

  /**
   * Give the holepunch round to the local server listening on {@code target}; pass its answer to
   * {@link Router#onServerHolepunch}.
   *
   * @param target the server's target
   * @param holepunch the round as received from the relay (peerAddress is the client as the relay saw it)
   */
  record ServerHolepunch(Bytes32 target, Holepunch holepunch) implements Decision {}

  /**
   * Give the request to the registered plugin named in it ({@code Plugin.onrequest}).
   *
   * @param request the decoded plugin request
   */
  record ToPlugin(PluginRequest request) implements Decision {}
}
