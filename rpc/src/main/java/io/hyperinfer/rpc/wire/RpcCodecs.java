package io.hyperinfer.rpc.wire;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.rpc.wire.RpcMessage.Request;
import io.hyperinfer.rpc.wire.RpcMessage.Response;
import io.hyperinfer.rpc.wire.RpcMessage.WireCause;
import io.hyperinfer.rpc.wire.RpcMessage.WireError;

/** protomux-rpc 1.10.0 request and response codecs. */
public final class RpcCodecs {
  private static final int HAS_ERROR = 1;
  private static final int HAS_CODE = 2;
  private static final int HAS_CAUSE = 4;
  private static final int HAS_CONTEXT = 8;

  private RpcCodecs() {}

  public static final Codec<Request> REQUEST = new Codec<>() {
    @Override
    public int encodedLength(Request r) {
      return Buf.uintLength(r.id()) + Compact.STRING.encodedLength(r.method()) + r.value().length;
    }

    @Override
    public void encode(Request r, Buf buf) {
      buf.writeUint(r.id());
      Compact.STRING.encode(r.method(), buf);
      buf.writeBytes(r.value());
    }

    @Override
    public Request decode(Buf buf) {
      long id = buf.readUint();
      String method = Compact.STRING.decode(buf);
      return new Request(id, method, Compact.RAW.decode(buf));
    }
  };

  public static final Codec<Response> RESPONSE = new Codec<>() {
    @Override
    public int encodedLength(Response r) {
      int n = 1 + Buf.uintLength(r.id());
      WireError e = r.error();
      if (e == null) {
        return n + r.value().length;
      }
      n += Compact.STRING.encodedLength(e.message());
      if (e.code() != null) {
        n += Compact.STRING.encodedLength(e.code());
      }
      WireCause c = e.cause();
      if (c != null) {
        n += Compact.STRING.encodedLength(c.message()) + Compact.STRING.encodedLength(c.code());
        if (c.context() != null) {
          n += Compact.STRING.encodedLength(c.context());
        }
      }
      return n;
    }

    @Override
    public void encode(Response r, Buf buf) {
      WireError e = r.error();
      buf.writeUint8(flags(e));
      buf.writeUint(r.id());
      if (e == null) {
        buf.writeBytes(r.value());
        return;
      }
      Compact.STRING.encode(e.message(), buf);
      if (e.code() != null) {
        Compact.STRING.encode(e.code(), buf);
      }
      WireCause c = e.cause();
      if (c != null) {
        Compact.STRING.encode(c.message(), buf);
        Compact.STRING.encode(c.code(), buf);
        if (c.context() != null) {
          Compact.STRING.encode(c.context(), buf);
        }
      }
    }

    @Override
    public Response decode(Buf buf) {
      long flags = buf.readUint();
      long id = buf.readUint();
      if ((flags & HAS_ERROR) == 0) {
        return new Response(id, Compact.RAW.decode(buf), null);
      }
      String message = Compact.STRING.decode(buf);
      String code = (flags & HAS_CODE) != 0 ? Compact.STRING.decode(buf) : null;
      WireCause cause = null;
      if ((flags & HAS_CAUSE) != 0) {
        String causeMessage = Compact.STRING.decode(buf);
        String causeCode = Compact.STRING.decode(buf);
        String context = (flags & HAS_CONTEXT) != 0 ? Compact.STRING.decode(buf) : null;
        cause = new WireCause(causeMessage, causeCode, context);
      }
      return new Response(id, null, new WireError(message, code, cause));
    }
  };

  private static int flags(WireError e) {
    if (e == null) {
      return 0;
    }
    int flags = HAS_ERROR;
    if (e.code() != null) {
      flags |= HAS_CODE;
    }
    if (e.cause() != null) {
      flags |= HAS_CAUSE;
      if (e.cause().context() != null) {
        flags |= HAS_CONTEXT;
      }
    }
    return flags;
  }
}
