package io.hyperinfer.dht.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * The request and response codecs, type byte included (dht-rpc {@code io.js}: {@code Request.decode},
 * {@code _encodeRequest}, {@code _sendReply}, {@code decodeReply}). Stateless, thread-safe.
 */
public final class MessageCodecs {
  private static final int HAS_ID = 1;
  private static final int HAS_TOKEN = 2;
  private static final int REQ_INTERNAL = 4;
  private static final int REQ_TARGET = 8;
  private static final int REQ_VALUE = 16;
  private static final int RES_CLOSER = 4;
  private static final int RES_ERROR = 8;
  private static final int RES_VALUE = 16;
  /** type + flags + tid + to. */
  private static final int HEADER = 1 + 1 + 2 + 6;
  private static final Codec<List<HostPort>> ADDRESSES = Compact.array(HostPort.IPV4);

  private MessageCodecs() {}

  /** A request, from its type byte on. */
  public static final Codec<RequestMessage> REQUEST = new Codec<>() {
    @Override
    public int encodedLength(RequestMessage m) {
      return HEADER + key(m.id()) + key(m.token()) + Buf.uintLength(m.command()) + key(m.target())
          + (m.value() == null ? 0 : Compact.BUFFER.encodedLength(m.value()));
    }

    @Override
    public void encode(RequestMessage m, Buf buf) {
      buf.writeUint8(Message.REQUEST_TYPE);
      buf.writeUint8(bit(m.id(), HAS_ID) | bit(m.token(), HAS_TOKEN) | (m.internal() ? REQ_INTERNAL : 0)
          | bit(m.target(), REQ_TARGET) | bit(m.value(), REQ_VALUE));
      buf.writeUint16(m.tid());
      HostPort.IPV4.encode(m.to(), buf);
      writeKey(m.id(), buf);
      writeKey(m.token(), buf);
      buf.writeUint(m.command());
      writeKey(m.target(), buf);
      if (m.value() != null) {
        Compact.BUFFER.encode(m.value(), buf);
      }
    }

    @Override
    public RequestMessage decode(Buf buf) {
      long flags = buf.readUint();
      int tid = buf.readUint16();
      HostPort to = HostPort.IPV4.decode(buf);
      byte[] id = (flags & HAS_ID) != 0 ? buf.readBytes(Message.KEY_BYTES) : null;
      byte[] token = (flags & HAS_TOKEN) != 0 ? buf.readBytes(Message.KEY_BYTES) : null;
      long command = buf.readUint();
      byte[] target = (flags & REQ_TARGET) != 0 ? buf.readBytes(Message.KEY_BYTES) : null;
      byte[] value = (flags & REQ_VALUE) != 0 ? Compact.BUFFER.decode(buf) : null;
      return new RequestMessage(tid, to, id, token, (flags & REQ_INTERNAL) != 0, command, target, value);
    }
  };

  /** A response, from its type byte on. */
  public static final Codec<ResponseMessage> RESPONSE = new Codec<>() {
    @Override
    public int encodedLength(ResponseMessage m) {
      return HEADER + key(m.id()) + key(m.token())
          + (m.closerNodes().isEmpty() ? 0 : ADDRESSES.encodedLength(m.closerNodes()))
          + (m.error() > 0 ? Buf.uintLength(m.error()) : 0)
          + (m.value() == null ? 0 : Compact.BUFFER.encodedLength(m.value()));
    }

    @Override
    public void encode(ResponseMessage m, Buf buf) {
      buf.writeUint8(Message.RESPONSE_TYPE);
      buf.writeUint8(bit(m.id(), HAS_ID) | bit(m.token(), HAS_TOKEN) | (m.closerNodes().isEmpty() ? 0 : RES_CLOSER)
          | (m.error() > 0 ? RES_ERROR : 0) | bit(m.value(), RES_VALUE));
      buf.writeUint16(m.tid());
      HostPort.IPV4.encode(m.to(), buf);
      writeKey(m.id(), buf);
      writeKey(m.token(), buf);
      if (!m.closerNodes().isEmpty()) {
        ADDRESSES.encode(m.closerNodes(), buf);
      }
      if (m.error() > 0) {
        buf.writeUint(m.error());
      }
      if (m.value() != null) {
        Compact.BUFFER.encode(m.value(), buf);
      }
    }

    @Override
    public ResponseMessage decode(Buf buf) {
      long flags = buf.readUint();
      int tid = buf.readUint16();
      HostPort to = HostPort.IPV4.decode(buf);
      byte[] id = (flags & HAS_ID) != 0 ? buf.readBytes(Message.KEY_BYTES) : null;
      byte[] token = (flags & HAS_TOKEN) != 0 ? buf.readBytes(Message.KEY_BYTES) : null;
      List<HostPort> closer = (flags & RES_CLOSER) != 0 ? ADDRESSES.decode(buf) : List.of();
      long error = (flags & RES_ERROR) != 0 ? buf.readUint() : 0;
      byte[] value = (flags & RES_VALUE) != 0 ? Compact.BUFFER.decode(buf) : null;
      return new ResponseMessage(tid, to, id, token, closer, error, value);
    }
  };

  private static int key(byte[] key) {
    return key == null ? 0 : Message.KEY_BYTES;
  }

  private static int bit(Object field, int bit) {
    return field == null ? 0 : bit;
  }

  private static void writeKey(byte[] key, Buf buf) {
    if (key != null) {
      buf.writeBytes(key);
    }
  }
}
