package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Peer;

/**
 * One node's answer to a FIND_PEER ({@code index.js mapFindPeer}): the record of the server it routes to.
 *
 * @param token the node's write token for us, or null
 * @param from the node, which forwards handshakes for the server (its relay)
 * @param to our address as the node saw it
 * @param peer the server's record: its public key and relay addresses
 */
public record FindPeerResult(byte[] token, io.hyperinfer.dht.Peer from, HostPort to, Peer peer) {}
