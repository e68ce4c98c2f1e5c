package io.hyperinfer.hyperdht;

import java.util.Optional;

/**
 * HyperDHT's dht-rpc commands ({@code lib/constants.js COMMANDS}), sent with the internal flag clear. The ids of
 * ANNOUNCE, UNANNOUNCE, MUTABLE_PUT, PEER_HANDSHAKE, PEER_HOLEPUNCH and PLUGIN also name their signing namespaces.
 */
public enum Command {
  /** Carry a Noise handshake between client and server through relays. Any node routes it. */
  PEER_HANDSHAKE(0),
  /** Carry a holepunch round between client and server through relays. Any node routes it. */
  PEER_HOLEPUNCH(1),
  /** Find the record of a server key; target = hash(publicKey). */
  FIND_PEER(2),
  /** Find the records announced on a topic. */
  LOOKUP(3),
  /** Store a signed record for a topic or a server key. */
  ANNOUNCE(4),
  /** Remove a signed record. */
  UNANNOUNCE(5),
  /** Store a signed, sequenced value under hash(publicKey). */
  MUTABLE_PUT(6),
  /** Read a mutable value with at least a given seq. */
  MUTABLE_GET(7),
  /** Store a value under its own hash. */
  IMMUTABLE_PUT(8),
  /** Read a value by its hash. */
  IMMUTABLE_GET(9),
  /** A request for a registered plugin. */
  PLUGIN(10);

  private static final Command[] BY_ID = values();

  private final int id;

  Command(int id) {
    this.id = id;
  }

  /** The command number on the wire. */
  public int id() {
    return id;
  }

  /** The command with this number, if HyperDHT defines it. */
  public static Optional<Command> of(long id) {
    return id >= 0 && id < BY_ID.length ? Optional.of(BY_ID[(int) id]) : Optional.empty();
  }
}
