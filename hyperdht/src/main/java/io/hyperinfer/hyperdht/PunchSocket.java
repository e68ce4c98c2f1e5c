package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.encoding.HostPort;

/**
 * A socket of the socket pool as a {@link Holepuncher} uses it ({@code lib/socket-pool.js} {@code SocketRef}): it
 * sends one-byte probes, optionally with a low TTL, carries the dht-rpc requests of the punch rounds, and reports the
 * one-byte datagrams it receives to the listener it was acquired with. Thread-safe.
 */
interface PunchSocket {
  /** The probe every punch sends: one zero byte (JS {@code HOLEPUNCH}). */
  byte[] PROBE = {0};
  /** A low-TTL probe opens our NAT's mapping but dies before the peer's NAT could take it as hostile. */
  int LOW_TTL = 5;

  /** The socket as the node sends requests from it. */
  DhtSocket dhtSocket();

  HostPort localAddress();

  /** Sends a probe to {@code to}; lost silently when it cannot leave, as any datagram may be. */
  void probe(HostPort to, boolean lowTtl);

  /** Whether this wraps {@code socket} (a transport's own socket object). */
  boolean wraps(Object socket);

  /** Gives the socket back: it closes (at once, or once the stream on it closes when it was kept). */
  void release();

  /** Receives the one-byte datagrams of an acquired socket, on the node loop. */
  @FunctionalInterface
  interface ProbeListener {
    void onProbe(PunchSocket socket, HostPort from);
  }
}
