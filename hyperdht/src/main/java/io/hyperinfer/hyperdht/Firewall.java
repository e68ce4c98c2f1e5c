package io.hyperinfer.hyperdht;

/**
 * NAT classes a peer reports in its payloads ({@code lib/constants.js FIREWALL}). Payloads carry the raw uint, so
 * these are constants rather than an enum: an unknown value from a peer is kept, and compares unequal to all of them.
 */
public final class Firewall {
  /** Not classified yet (firewalled, or too few samples). */
  public static final long UNKNOWN = 0;
  /** Reachable at its public address: no NAT in the way. */
  public static final long OPEN = 1;
  /** Behind a NAT that maps to the same external port for every destination. */
  public static final long CONSISTENT = 2;
  /** Behind a NAT that picks a new external port per destination. */
  public static final long RANDOM = 3;

  private Firewall() {}

  /** The class's name for traces (the number itself when it is not one of the four). */
  public static String name(long firewall) {
    return switch ((int) Math.min(Math.max(firewall, -1), 4)) {
      case 0 -> "UNKNOWN";
      case 1 -> "OPEN";
      case 2 -> "CONSISTENT";
      case 3 -> "RANDOM";
      default -> Long.toUnsignedString(firewall);
    };
  }
}
