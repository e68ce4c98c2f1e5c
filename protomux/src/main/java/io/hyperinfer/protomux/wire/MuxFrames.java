package io.hyperinfer.protomux.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;

/**
 * Protomux 3.12.1 messages. Every message is {@code uint channelId, uint type, payload}; channel 0 is the control
 * session:
 *
 * <pre>
 *   0 batch   uint firstChannelId, then (uint len, len bytes of [type, payload]) items; len 0 = uint newChannelId
 *   1 open    uint localId, string protocol, optionalBuffer id, handshake bytes to the end
 *   2 reject  uint remoteId (the id the peer used in its open)
 *   3 close   uint localId (the sender's)
 * </pre>
 */
public final class MuxFrames {
  public static final int BATCH = 0;
  public static final int OPEN = 1;
  public static final int REJECT = 2;
  public static final int CLOSE = 3;

  private MuxFrames() {}

  public static byte[] open(long localId, String protocol, byte[] id, byte[] handshake) {
    byte[] tail = handshake == null ? new byte[0] : handshake;
    Buf buf = Buf.allocate(2 + Buf.uintLength(localId) + Compact.STRING.encodedLength(protocol)
        + Compact.OPTIONAL_BUFFER.encodedLength(id) + tail.length);
    buf.writeUint8(0);
    buf.writeUint8(OPEN);
    buf.writeUint(localId);
    Compact.STRING.encode(protocol, buf);
    Compact.OPTIONAL_BUFFER.encode(id, buf);
    buf.writeBytes(tail);
    return buf.array();
  }

  public static byte[] reject(long remoteId) {
    return control(REJECT, remoteId);
  }

  public static byte[] close(long localId) {
    return control(CLOSE, localId);
  }

  private static byte[] control(int type, long id) {
    Buf buf = Buf.allocate(2 + Buf.uintLength(id));
    buf.writeUint8(0);
    buf.writeUint8(type);
    buf.writeUint(id);
    return buf.array();
  }

  /** {@code [type][payload]}, the body of a channel message as it goes into a batch. */
  public static <T> byte[] body(long type, Codec<T> codec, T value) {
    Buf buf = Buf.allocate(Buf.uintLength(type) + codec.encodedLength(value));
    buf.writeUint(type);
    codec.encode(value, buf);
    return buf.array();
  }

  /** {@code [channelId][type][payload]} in one allocation. */
  public static <T> byte[] message(long channelId, long type, Codec<T> codec, T value) {
    Buf buf = Buf.allocate(Buf.uintLength(channelId) + Buf.uintLength(type) + codec.encodedLength(value));
    buf.writeUint(channelId);
    buf.writeUint(type);
    codec.encode(value, buf);
    return buf.array();
  }
}
