package io.hyperinfer.dht.wire;

import io.hyperinfer.encoding.HostPort;
import java.util.List;
import java.util.Objects;

/**
 * A dht-rpc response ({@code io.js _sendReply / decodeReply}). Arrays are not copied: treat them as immutable.
 *
 * @param tid the transaction id of the request answered
 * @param to the requester's address as the responder saw it (or where the reply was sent)
 * @param id the responder's node id, or null
 * @param token a write token for the requester's IP, or null
 * @param closerNodes nodes closer to the request's target, never null (absent on the wire when empty)
 * @param error 0, or an error code (1 UNKNOWN_COMMAND, 2 INVALID_TOKEN, user codes)
 * @param value the reply payload, or null
 */
public record ResponseMessage(
    int tid, HostPort to, byte[] id, byte[] token, List<HostPort> closerNodes, long error, byte[] value)
    implements Message {
  public ResponseMessage {
    Message.checkTid(tid);
    Objects.requireNonNull(to, "to");
    Message.checkKey(id, "id");
    Message.checkKey(token, "token");
    closerNodes = List.copyOf(closerNodes);
    Message.checkUint(error, "error");
  }

  @Override
  public byte[] encode() {
    return io.hyperinfer.encoding.Compact.encode(MessageCodecs.RESPONSE, this);
  }
}
