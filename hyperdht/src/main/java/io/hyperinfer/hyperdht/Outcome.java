package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.HostPort;

/**
 * What the DHT node does with a request once HyperDHT has decided: send something, or nothing. The node owns the
 * sockets and the dht-rpc framing; these records say what to put in it.
 */
public sealed interface Outcome extends Decision
    permits Outcome.Reply, Outcome.ErrorReply, Outcome.Relay, Outcome.Drop, Outcome.Unhandled {

  /**
   * A response to the request ({@code req.reply}).
   *
   * @param value the response value, or null for none (an empty array is an empty value, not none)
   * @param withToken whether the response carries this node's token for the receiver
   * @param withCloserNodes whether it carries the nodes closest to the target
   * @param to where the response goes, or null for the requester
   * @param socket the socket it leaves from
   */
  record Reply(byte[] value, boolean withToken, boolean withCloserNodes, HostPort to, ReplySocket socket)
      implements Outcome {
    /** The socket is required. */
    public Reply {
      if (socket == null) {
        throw new IllegalArgumentException("socket is required");
      }
    }

    /** dht-rpc's default reply: token and closer nodes, to the requester, from the receiving socket. */
    static Reply standard(byte[] value) {
      return new Reply(value, true, true, null, ReplySocket.RECEIVING);
    }

    /** A write acknowledged with neither token nor closer nodes (ANNOUNCE, UNANNOUNCE). */
    static Reply bare() {
      return new Reply(null, false, false, null, ReplySocket.RECEIVING);
    }
  }

  /**
   * An error response to the requester from the receiving socket ({@code req.error}).
   *
   * @param error the dht-rpc error number (a {@link PeerError} code, or dht-rpc's own)
   * @param withToken whether it carries a token (only dht-rpc's INVALID_TOKEN does)
   * @param withCloserNodes whether it carries the closest nodes
   */
  record ErrorReply(long error, boolean withToken, boolean withCloserNodes) implements Outcome {}

  /**
   * Forward the request ({@code req.relay}): the same tid, command and target, no token, this value, sent as a request
   * to {@code to}. The answer, if any, travels separately.
   *
   * @param value the new request value
   * @param to where the forwarded request goes
   * @param socket the socket it leaves from
   */
  record Relay(byte[] value, HostPort to, ReplySocket socket) implements Outcome {
    /** Every field is required. */
    public Relay {
      if (value == null || to == null || socket == null) {
        throw new IllegalArgumentException("a relay needs a value, a destination and a socket");
      }
    }
  }

  /**
   * No answer at all, as JS; counted by reason.
   *
   * @param reason why
   */
  record Drop(DropReason reason) implements Outcome {}

  /**
   * Not a HyperDHT command this node serves (an unknown command, or a record command on a node that is not
   * persistent or has no id yet): dht-rpc answers UNKNOWN_COMMAND with closer nodes.
   */
  record Unhandled() implements Outcome {}
}
