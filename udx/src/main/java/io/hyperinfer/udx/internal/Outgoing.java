package io.hyperinfer.udx.internal;

/** One sent DATA or END packet awaiting acknowledgement. Confined to the stream's loop. */
final class Outgoing {
  final int seq;
  final int type;
  final byte[] payload;
  long sentNs;
  int transmits;
  /** Counted in the pipe (sent, not acked, not sacked, not declared lost). */
  boolean inPipe;
  boolean sacked;
  /** Declared lost and waiting in the retransmit queue. */
  boolean lost;

  Outgoing(int seq, int type, byte[] payload) {
    this.seq = seq;
    this.type = type;
    this.payload = payload;
  }
}
