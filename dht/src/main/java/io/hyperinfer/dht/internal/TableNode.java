package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.Peer;
import io.hyperinfer.encoding.HostPort;

/**
 * A node of the routing table with its upkeep bookkeeping (dht-rpc's node object), also a link of the
 * {@link TimeOrderedSet}. Ticks are the node's 5 s upkeep ticks. Confined to the loop thread.
 */
final class TableNode {
  final byte[] id;
  final String host;
  final int port;
  /** This node's address as that node saw it, when it told us (a NAT sample), or null. */
  HostPort to;
  long sampled;
  long added;
  long pinged;
  long seen;
  int downHints;
  TableNode prev;
  TableNode next;
  boolean linked;

  TableNode(byte[] id, String host, int port, HostPort to) {
    this.id = id;
    this.host = host;
    this.port = port;
    this.to = to;
  }

  Peer peer() {
    return new Peer(host, port, id);
  }

  HostPort address() {
    return new HostPort(host, port);
  }
}
