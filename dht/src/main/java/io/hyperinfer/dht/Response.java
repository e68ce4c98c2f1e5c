package io.hyperinfer.dht;

import io.hyperinfer.encoding.HostPort;
import java.util.List;

/**
 * A reply to one of this node's requests (dht-rpc's response object). A reply with a non-zero {@link #error()} is
 * still a reply: request futures complete with it, they do not fail. Immutable; arrays must not be modified.
 *
 * @param tid the transaction id
 * @param from the responder; its id is set only when the responder sent one that matches its address
 * @param to this node's address as the responder saw it
 * @param token a write token for this node's IP, or null
 * @param closerNodes nodes closer to the request's target (empty when none were sent)
 * @param error {@link #OK}, {@link #UNKNOWN_COMMAND}, {@link #INVALID_TOKEN} or a user code
 * @param value the reply payload, or null
 * @param rttMs milliseconds from the request's creation to this reply
 */
public record Response(
    int tid, Peer from, HostPort to, byte[] token, List<HostPort> closerNodes, long error, byte[] value, long rttMs) {
  /** No error. */
  public static final long OK = 0;
  /** The responder does not serve the command (also what ephemeral hyperdht nodes answer to storage commands). */
  public static final long UNKNOWN_COMMAND = 1;
  /** The request's token matched neither of the responder's secrets; the reply carries a fresh one. */
  public static final long INVALID_TOKEN = 2;

  public Response {
    closerNodes = List.copyOf(closerNodes);
  }
}
