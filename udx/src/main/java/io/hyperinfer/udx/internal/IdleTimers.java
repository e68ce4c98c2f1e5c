package io.hyperinfer.udx.internal;

/**
 * The idle timeout (fail when the peer goes silent) and the keepalive (HEARTBEAT when we go silent) of a
 * {@link StreamCore}; both are off at 0. Only the times are kept here: the core acts on them. Not thread-safe.
 */
final class IdleTimers {
  private long idleTimeoutNs;
  private long lastReceiveNs;
  private long keepaliveNs;
  private long lastSendNs;

  void idleTimeoutNs(long ns, long nowNs) {
    this.idleTimeoutNs = ns;
    this.lastReceiveNs = nowNs;
  }

  void keepaliveNs(long ns, long nowNs) {
    this.keepaliveNs = ns;
    this.lastSendNs = nowNs;
  }

  long idleTimeoutNs() {
    return idleTimeoutNs;
  }

  void received(long nowNs) {
    lastReceiveNs = nowNs;
  }

  /** A DATA/END packet or a keepalive went out at {@code nowNs}. */
  void sent(long nowNs) {
    lastSendNs = nowNs;
  }

  /** Any datagram went out: the keepalive counts from the later of the last send and the last receive. */
  void emitted() {
    lastSendNs = Math.max(lastSendNs, lastReceiveNs);
  }

  /** Earliest idle or keepalive deadline, or {@link Long#MAX_VALUE}; the caller checks it is connected. */
  long deadlineNs() {
    long d = Long.MAX_VALUE;
    if (idleTimeoutNs > 0) {
      d = Math.min(d, lastReceiveNs + idleTimeoutNs);
    }
    if (keepaliveNs > 0) {
      d = Math.min(d, lastSendNs + keepaliveNs);
    }
    return d;
  }

  boolean idleExpired(long nowNs) {
    return idleTimeoutNs > 0 && nowNs - lastReceiveNs >= idleTimeoutNs;
  }

  boolean keepaliveDue(long nowNs) {
    return keepaliveNs > 0 && nowNs - lastSendNs >= keepaliveNs;
  }
}
