package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;

/**
 * An immutable value as one node returned it ({@code index.js mapImmutable}); values returned by
 * {@link HyperDht#immutableGet} hash to the target asked for.
 *
 * @param token the node's write token for us, or null
 * @param from the node that stored it
 * @param to our address as the node saw it
 * @param value the value
 */
public record ImmutableValue(byte[] token, io.hyperinfer.dht.Peer from, HostPort to, byte[] value) {}
