package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/**
 * Reads and writes {@link StreamFrame}s as JSON bytes: the one definition of the stream format. Decoding is
 * hostile-input code: anything malformed fails with {@link NetException} ERR_BAD_FRAME (ERR_BAD_REQUEST for an open,
 * which a caller sent) and nothing else. Thread-safe.
 */
public final class StreamFrames {
  /** Event method of chunk frames (handler side to caller). */
  public static final String CHUNK = "stream.chunk";
  /** Event method of cancel frames (caller to handler side). */
  public static final String CANCEL = "stream.cancel";
  /** Largest stream id, sequence number, count or timeout: 2^53 - 1, what a JS number holds exactly. */
  public static final long MAX_ID = (1L << 53) - 1;

  private StreamFrames() {}

  /** Whether {@code method} is one the stream format reserves (handlers may not be registered under it). */
  public static boolean isFrameMethod(String method) {
    return CHUNK.equals(method) || CANCEL.equals(method);
  }

  public static byte[] encode(StreamFrame frame) {
    return Json.toBytes(frame.toJson());
  }

  /** An open frame; ERR_BAD_REQUEST when malformed, since the caller sent it. */
  public static StreamFrame.Open open(byte[] bytes) {
    try {
      JsonNode o = object(bytes);
      return new StreamFrame.Open(id(o, "stream"), o.has("timeoutMs") ? id(o, "timeoutMs") : 0, o.path("payload"));
    } catch (NetException e) {
      throw NetException.badRequest("a streaming method takes {stream, timeoutMs?, payload}: " + e.getMessage());
    }
  }

  public static StreamFrame.Chunk chunk(byte[] bytes) {
    JsonNode o = object(bytes);
    return new StreamFrame.Chunk(id(o, "stream"), id(o, "seq"), o.path("data"));
  }

  public static StreamFrame.End end(byte[] bytes) {
    JsonNode o = object(bytes);
    return new StreamFrame.End(id(o, "stream"), id(o, "chunks"), o.path("value"));
  }

  public static StreamFrame.Cancel cancel(byte[] bytes) {
    return new StreamFrame.Cancel(id(object(bytes), "stream"));
  }

  static void checkId(String field, long value) {
    if (value < 0 || value > MAX_ID) {
      throw NetException.badFrame(field + " must be an integer in 0.." + MAX_ID);
    }
  }

  private static JsonNode object(byte[] bytes) {
    JsonNode node;
    try {
      node = Json.parse(bytes);
    } catch (IllegalArgumentException e) {
      throw NetException.badFrame("not JSON");
    }
    if (!node.isObject()) {
      throw NetException.badFrame("not a JSON object");
    }
    return node;
  }

  private static long id(JsonNode o, String field) {
    JsonNode v = o.path(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw NetException.badFrame(field + " must be an integer in 0.." + MAX_ID);
    }
    long value = v.longValue();
    checkId(field, value);
    return value;
  }
}
