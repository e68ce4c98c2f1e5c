package io.hyperinfer.udx.internal;

/** Counters of one stream, for diagnostics and benchmarks. Written by the stream's loop only. */
public final class StreamStats {
  public long packetsSent;
  public long packetsReceived;
  public long retransmits;
  public long timeouts;
  public long probes;
  public long acksSent;
  public long outOfOrder;
  public long dropped;
  public long badSacks;
  public long bytesDelivered;

  @Override
  public String toString() {
    return "sent=" + packetsSent + " recv=" + packetsReceived + " rtx=" + retransmits + " rto=" + timeouts
        + " tlp=" + probes + " acks=" + acksSent + " ooo=" + outOfOrder + " dropped=" + dropped
        + " badSacks=" + badSacks + " delivered=" + bytesDelivered;
  }
}
