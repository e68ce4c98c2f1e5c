package io.hyperinfer.dht;

/** dht-rpc's internal commands ({@code lib/commands.js}); they travel with the internal flag set. */
public final class Commands {
  /** Keep-alive; empty reply. */
  public static final int PING = 0;
  /** "Ping me back on this port" (value: uint16le port); the reply goes to that port of the sender's host. */
  public static final int PING_NAT = 1;
  /** Closer nodes for the target; no token. */
  public static final int FIND_NODE = 2;
  /** "This node you told me about seems down" (value: 6-byte IPv4 address); the receiver re-pings it. */
  public static final int DOWN_HINT = 3;
  /** Reply after a delay (value: uint32le milliseconds, at most the receiver's maxPingDelay). */
  public static final int DELAYED_PING = 4;

  private Commands() {}
}
