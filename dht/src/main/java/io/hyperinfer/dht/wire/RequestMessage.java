package io.hyperinfer.dht.wire;

import io.hyperinfer.encoding.HostPort;
import java.util.Objects;

/**
 * A dht-rpc request ({@code io.js Request}). Arrays are not copied: treat them as immutable.
 *
 * @param tid the transaction id
 * @param to the destination as the sender addressed it
 * @param id the sender's node id (persistent senders on their server socket only), or null
 * @param token a write token the receiver handed out earlier, or null
 * @param internal dht-rpc's own command (PING .. DELAYED_PING) rather than a user command
 * @param command the command number
 * @param target a 32-byte key the command is about, or null
 * @param value the command's payload, or null (an empty array travels as a zero-length value)
 */
public record RequestMessage(
    int tid, HostPort to, byte[] id, byte[] token, boolean internal, long command, byte[] target, byte[] value)
    implements Message {
  public RequestMessage {
    Message.checkTid(tid);
    Objects.requireNonNull(to, "to");
    Message.checkKey(id, "id");
    Message.checkKey(token, "token");
    Message.checkUint(command, "command");
    Message.checkKey(target, "target");
  }

  @Override
  public byte[] encode() {
    return io.hyperinfer.encoding.Compact.encode(MessageCodecs.REQUEST, this);
  }

  /** The same request with another destination and sender id, and no token: how {@code relay} re-sends it. */
  public RequestMessage relayed(HostPort newTo, byte[] senderId, byte[] newValue) {
    return new RequestMessage(tid, newTo, senderId, null, internal, command, target, newValue);
  }
}
