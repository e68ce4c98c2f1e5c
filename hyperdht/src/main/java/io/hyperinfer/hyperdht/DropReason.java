package io.hyperinfer.hyperdht;

/** Why a request got no answer at all. JS is silent in each of these cases; the sender sees a request timeout. */
public enum DropReason {
  /** The command needs a target and the request had none. */
  MISSING_TARGET,
  /** The command writes and the request carried no token. */
  MISSING_TOKEN,
  /** The command needs a value and the request had none. */
  MISSING_VALUE,
  /** The value does not decode. */
  MALFORMED_VALUE,
  /** An announce or unannounce without a peer record or without a signature. */
  MISSING_SIGNATURE,
  /** The signature does not verify for this node's id and the token. */
  BAD_SIGNATURE,
  /** A public key or value whose hash is not the target. */
  TARGET_MISMATCH,
  /** A refresh announce whose refresh does not continue a chain this node holds. */
  UNKNOWN_REFRESH,
  /** A PLUGIN request for a plugin name and version not registered here. */
  NO_PLUGIN,
  /** A handshake or holepunch to forward, but this node knows no relay for the target and none was named. */
  NO_ROUTE,
  /** A message from a server or relay that lacks the client address it must go to. */
  MISSING_PEER_ADDRESS,
  /** A FROM_SECOND_RELAY handshake for a local server without the relay to answer through. */
  MISSING_RELAY_ADDRESS,
  /** A holepunch from a relay for a target this node does not serve. */
  NOT_A_SERVER,
  /** A mode that is not expected at this point of the trip (a REPLY sent to a node, say). */
  UNEXPECTED_MODE,
  /** The local server declined (unknown handshake slot, firewall, bad Noise message, closing). */
  SERVER_DECLINED
}
