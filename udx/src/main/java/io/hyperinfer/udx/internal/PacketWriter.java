package io.hyperinfer.udx.internal;

import io.hyperinfer.udx.wire.PacketType;
import io.hyperinfer.udx.wire.SackBlocks;
import io.hyperinfer.udx.wire.UdxHeader;

/**
 * Builds a {@link StreamCore}'s datagrams in one reused buffer and hands them to {@link StreamEvents#send}. Every
 * header carries the remote id, our receive window and our cumulative ack, read from the {@link Receiver}; the
 * caller gives the seq. Not thread-safe.
 */
final class PacketWriter {
  private final StreamEvents events;
  private final Receiver receiver;
  private final IdleTimers idle;
  private final StreamStats stats;
  /** Large enough for DATA, END and any ACK; a bigger MESSAGE gets its own array (every stream keeps one). */
  private final byte[] scratch = new byte[UdxHeader.LENGTH + StreamCore.MSS];
  private final int[] sackPairs = new int[2 * SackBlocks.MAX_BLOCKS];
  private int remoteId;

  PacketWriter(StreamEvents events, Receiver receiver, IdleTimers idle, StreamStats stats) {
    this.events = events;
    this.receiver = receiver;
    this.idle = idle;
    this.stats = stats;
  }

  int remoteId() {
    return remoteId;
  }

  void remoteId(int id) {
    this.remoteId = id;
  }

  /** A DATA or END packet, first send or retransmission. */
  void packet(Outgoing p, long nowNs) {
    write(p.type, p.seq);
    System.arraycopy(p.payload, 0, scratch, UdxHeader.LENGTH, p.payload.length);
    idle.sent(nowNs);
    emit(UdxHeader.LENGTH + p.payload.length);
  }

  /** A MESSAGE: carries {@code seq} without consuming it. */
  void message(int seq, byte[] data) {
    byte[] out = UdxHeader.LENGTH + data.length <= scratch.length ? scratch : new byte[UdxHeader.LENGTH + data.length];
    write(out, PacketType.MESSAGE, seq);
    System.arraycopy(data, 0, out, UdxHeader.LENGTH, data.length);
    emit(out, UdxHeader.LENGTH + data.length);
  }

  /** A header alone: HEARTBEAT or DESTROY. */
  void header(int type, int seq) {
    write(type, seq);
    emit(UdxHeader.LENGTH);
  }

  /** A pure ACK, with SACK blocks for what we hold out of order. */
  void ack(int seq) {
    int blocks = receiver.sackBlocks(sackPairs, SackBlocks.MAX_BLOCKS);
    write(blocks > 0 ? PacketType.SACK : 0, seq);
    SackBlocks.write(scratch, UdxHeader.LENGTH, sackPairs, blocks);
    stats.acksSent++;
    emit(UdxHeader.LENGTH + blocks * SackBlocks.BLOCK_LENGTH);
  }

  private void write(int type, int seq) {
    write(scratch, type, seq);
  }

  private void write(byte[] out, int type, int seq) {
    UdxHeader.write(out, 0, type, 0, remoteId, receiver.advertisedWindow(), seq, receiver.ack());
    receiver.ackSent();
  }

  private void emit(int len) {
    emit(scratch, len);
  }

  private void emit(byte[] out, int len) {
    idle.emitted();
    events.send(out, len);
  }
}
