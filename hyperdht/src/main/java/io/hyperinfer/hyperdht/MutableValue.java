package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;

/**
 * A signed mutable value as one node returned it ({@code index.js mapMutable}). Values returned by
 * {@link HyperDht#mutableGet} have a signature checked against the key asked for.
 *
 * @param token the node's write token for us, or null
 * @param from the node that stored it
 * @param to our address as the node saw it
 * @param seq the value's sequence number
 * @param value the value
 * @param signature its Ed25519 signature over {@code NS_MUTABLE_PUT ‖ hash({seq, value})}
 */
public record MutableValue(byte[] token, io.hyperinfer.dht.Peer from, HostPort to, long seq, byte[] value,
    byte[] signature) {}
