package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;

/**
 * A HyperDHT request as the DHT node received it, reduced to what the record and forwarding roles read.
 *
 * @param command the command number (any uint: unknown ones are {@link Outcome.Unhandled})
 * @param target the 32-byte target, or null when the request had none
 * @param token the token the request carried, or null
 * @param tokenValid whether {@code token} is one this node handed out to the sender (ignored without a token)
 * @param value the request value, or null when the request had none (an empty value is not null)
 * @param from the sender's address as this node saw it
 */
public record ReceivedRequest(long command, byte[] target, byte[] token, boolean tokenValid, byte[] value,
    HostPort from) {
  /** Validates sizes; the arrays are not copied (treat them as immutable). */
  public ReceivedRequest {
    if ((target != null && target.length != 32) || (token != null && token.length != 32) || from == null) {
      throw new IllegalArgumentException("target and token are 32 bytes, and the sender is required");
    }
  }

  /** The target as a table key, or null. */
  Bytes32 targetKey() {
    return target == null ? null : Bytes32.of(target);
  }
}
