package io.hyperinfer.nattestbed;

import io.hyperinfer.testkit.NatKind;

/** Where a matrix peer sits: directly on the internet segment, or behind one NAT kind. */
enum PeerKind {
  OPEN("open", null),
  FULL_CONE("fc", NatKind.FULL_CONE),
  PORT_RESTRICTED("pr", NatKind.PORT_RESTRICTED),
  SYMMETRIC("sym", NatKind.SYMMETRIC);

  private final String prefix;
  private final NatKind nat;

  PeerKind(String prefix, NatKind nat) {
    this.prefix = prefix;
    this.nat = nat;
  }

  /** The peer of this kind acting as client ({@code 1}) or server ({@code 2}); each sits behind its own NAT. */
  String peer(int which) {
    return prefix + which;
  }

  /** The NAT, or null for a peer on the internet segment. */
  NatKind nat() {
    return nat;
  }

  String label() {
    return nat == null ? "open" : nat.label();
  }
}
