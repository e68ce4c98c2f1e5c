package io.hyperinfer.protomux.wire;

import io.hyperinfer.encoding.Buf;
import java.util.ArrayList;
import java.util.List;

/**
 * Messages collected while the mux is corked, sent as one batch message. A new channel id is announced only when it
 * changes between items, as protomux does. Not thread-safe: confined to the mux lock.
 */
public final class OutgoingBatch {
  private record Item(long channelId, byte[] body, int offset) {}

  private final List<Item> items = new ArrayList<>();
  private int size = 2;

  public boolean isEmpty() {
    return items.isEmpty();
  }

  /** Encoded size so far. */
  public int size() {
    return size;
  }

  /** Adds {@code body[offset..]} ([type][payload]) for {@code channelId}. */
  public void add(long channelId, byte[] body, int offset) {
    if (items.isEmpty() || items.getLast().channelId() != channelId) {
      size += (items.isEmpty() ? 0 : 1) + Buf.uintLength(channelId);
    }
    int length = body.length - offset;
    size += Buf.uintLength(length) + length;
    items.add(new Item(channelId, body, offset));
  }

  /** The batch message, after which this batch is empty again. */
  public byte[] encodeAndClear() {
    Buf buf = Buf.allocate(size);
    buf.writeUint8(0);
    buf.writeUint8(MuxFrames.BATCH);
    long current = items.getFirst().channelId();
    buf.writeUint(current);
    for (Item item : items) {
      if (item.channelId() != current) {
        current = item.channelId();
        buf.writeUint8(0);
        buf.writeUint(current);
      }
      int length = item.body().length - item.offset();
      buf.writeUint(length);
      buf.writeBytes(item.body(), item.offset(), length);
    }
    items.clear();
    size = 2;
    return buf.array();
  }
}
