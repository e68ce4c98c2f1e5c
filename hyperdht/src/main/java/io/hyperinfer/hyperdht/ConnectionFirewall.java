package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.NoisePayload;

/**
 * A server's firewall (JS {@code createServer({firewall})}, judged after Noise message 1, so the client's key is
 * proven). Unlike JS, whose hook returns true to <em>reject</em>, this returns true to <b>accept</b>. A rejected
 * client gets no answer at all, as in JS: its connect times out on every relay and fails with
 * {@code PEER_CONNECTION_FAILED}. Called on the node's loop: must not block.
 */
@FunctionalInterface
public interface ConnectionFirewall {
  /** Accepts every client. */
  ConnectionFirewall ALLOW_ALL = (remotePublicKey, payload, clientAddress) -> true;

  /**
   * @param remotePublicKey the client's static key, proven by its Noise message
   * @param payload what the client said about itself (firewall, addresses)
   * @param clientAddress the client as the relay (or, when direct, this node) saw it
   * @return true to answer the handshake, false to stay silent
   */
  boolean allow(byte[] remotePublicKey, NoisePayload payload, HostPort clientAddress);
}
