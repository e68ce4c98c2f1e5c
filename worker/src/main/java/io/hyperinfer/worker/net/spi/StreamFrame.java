package io.hyperinfer.worker.net.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;

/**
 * The frames of one streamed call, as they travel over any transport that moves requests, responses and events (and
 * over @hyperswarm/rpc, where both sides may send events on the one protomux-rpc channel of a connection):
 *
 * <pre>
 * caller                                             handler's peer
 *   request  method          {stream, timeoutMs?, payload}   -> Open: the handler starts
 *   <- event "stream.chunk"  {stream, seq, data}              Chunk: seq counts 0, 1, 2... with no gap
 *   <- response              {stream, chunks, value}          End: after {@code chunks} chunks
 *   <- error response        {code, message, details}         the error frame, as any failed request
 *   event "stream.cancel"    {stream}                      -> Cancel: the handler's cancel signal fires
 * </pre>
 *
 * The caller picks {@code stream}, unique among its open streams to that peer. Chunks and the terminal frame may
 * arrive in any order over a transport that reorders; sequence numbers let the caller restore the order and see a gap.
 * A dropped connection cancels the stream on both sides; so does the deadline ({@code timeoutMs} from the caller,
 * capped by the handler side's own limit). A plain JS client receives chunks with
 * {@code rpc.respond('stream.chunk', ...)}. Values are JSON; {@link StreamFrames} reads and writes them.
 */
public sealed interface StreamFrame {
  /** The stream this frame belongs to. */
  long stream();

  /** Frames the caller sends. */
  sealed interface FromCaller extends StreamFrame {}

  /** Frames the handler's side sends. */
  sealed interface ToCaller extends StreamFrame {}

  /** Opens a stream: the request to the streaming method. {@code timeoutMs} 0 means "the handler side's limit". */
  record Open(long stream, long timeoutMs, JsonNode payload) implements FromCaller {
    public Open {
      StreamFrames.checkId("stream", stream);
      StreamFrames.checkId("timeoutMs", timeoutMs);
      payload = payload == null ? NullNode.getInstance() : payload;
    }
  }

  /** One piece of the answer. */
  record Chunk(long stream, long seq, JsonNode data) implements ToCaller {
    public Chunk {
      StreamFrames.checkId("stream", stream);
      StreamFrames.checkId("seq", seq);
      data = data == null ? NullNode.getInstance() : data;
    }
  }

  /** The successful end, the open request's response: {@code chunks} chunks were sent before it. */
  record End(long stream, long chunks, JsonNode value) implements ToCaller {
    public End {
      StreamFrames.checkId("stream", stream);
      StreamFrames.checkId("chunks", chunks);
      value = value == null ? NullNode.getInstance() : value;
    }
  }

  /** The failed end, the open request's error response; its wire form is the error's own. */
  record Failed(long stream, NetException error) implements ToCaller {
    public Failed {
      StreamFrames.checkId("stream", stream);
      if (error == null) {
        throw new IllegalArgumentException("a failed frame carries its error");
      }
    }
  }

  /** The caller gives up: an event from the caller. */
  record Cancel(long stream) implements FromCaller {
    public Cancel {
      StreamFrames.checkId("stream", stream);
    }
  }

  /** The JSON form of this frame. */
  default ObjectNode toJson() {
    return switch (this) {
      case Open o -> withPayload(Json.object().put("stream", o.stream()).put("timeoutMs", o.timeoutMs()),
          "payload", o.payload());
      case Chunk c -> withPayload(Json.object().put("stream", c.stream()).put("seq", c.seq()), "data", c.data());
      case End e -> withPayload(Json.object().put("stream", e.stream()).put("chunks", e.chunks()), "value", e.value());
      case Failed f -> f.error().toJson();
      case Cancel c -> Json.object().put("stream", c.stream());
    };
  }

  private static ObjectNode withPayload(ObjectNode o, String field, JsonNode value) {
    o.set(field, value);
    return o;
  }
}
