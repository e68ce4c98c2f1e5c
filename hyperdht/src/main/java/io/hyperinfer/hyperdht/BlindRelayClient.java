package io.hyperinfer.hyperdht;

import io.hyperinfer.hyperdht.wire.RelayPair;
import io.hyperinfer.hyperdht.wire.RelayUnpair;
import io.hyperinfer.protomux.Channel;
import io.hyperinfer.protomux.ChannelListener;
import io.hyperinfer.protomux.Message;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The pairing side of a blind relay ({@code blind-relay} 1.6.1 {@code Client}): one {@code blind-relay} channel on
 * the control connection to a relay, asking it to pair our UDX stream with the peer's that gives the same token. A
 * request completes with the id of the stream the relay opened for our end, which our stream then connects to.
 * Thread-safe (state under this object's lock; protomux listeners run under the mux lock and never block here).
 */
final class BlindRelayClient {
  /** Pairings one control connection may have waiting. */
  static final int MAX_REQUESTS = 64;

  private record Request(boolean initiator, CompletableFuture<Integer> answer) {}

  private final Map<String, Request> requests = new HashMap<>();
  private final Channel channel;
  private final Message<RelayPair> pair;
  private final Message<RelayUnpair> unpair;
  private boolean closed;

  /** Opens the channel on {@code stream}'s mux; {@code id} is our public key on that connection, as JS passes it. */
  BlindRelayClient(MuxStream stream, byte[] id) {
    Channel ch = stream.mux().createChannel(BlindRelayServer.PROTOCOL, id, new ChannelListener() {
      @Override
      public void onClose(Channel c, boolean byRemote) {
        closeAll(why(c));
      }
    });
    if (ch == null) {
      throw HyperDhtException.of(HyperDhtException.Code.RELAY_ABORTED, "the relay connection is already closed");
    }
    channel = ch;
    pair = ch.addMessage(RelayPair.CODEC, (m, c) -> onPair(m));
    unpair = ch.addMessage(RelayUnpair.CODEC, null);
    ch.open(null);
  }

  /** Asks for a pairing; completes with the relay's stream id for our end, fails with RELAY_ABORTED. */
  CompletableFuture<Integer> pair(boolean initiator, byte[] token, int streamId) {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    String key = HexFormat.of().formatHex(token);
    synchronized (this) {
      if (closed || requests.containsKey(key) || requests.size() >= MAX_REQUESTS) {
        return CompletableFuture.failedFuture(HyperDhtException.of(HyperDhtException.Code.RELAY_ABORTED,
            closed ? "the relay channel is closed" : "already pairing or too many pairings"));
      }
      requests.put(key, new Request(initiator, answer));
    }
    if (!pair.send(new RelayPair(initiator, token, Integer.toUnsignedLong(streamId), 0))) {
      cancel(token);
    }
    return answer;
  }

  /** Cancels a pairing, waiting or made (the relay then drops its streams for it). */
  void cancel(byte[] token) {
    Request r;
    synchronized (this) {
      r = requests.remove(HexFormat.of().formatHex(token));
    }
    if (r != null) {
      r.answer.completeExceptionally(HyperDhtException.of(HyperDhtException.Code.RELAY_ABORTED, "pairing cancelled"));
    }
    unpair.send(new RelayUnpair(token));
  }

  /** Closes the channel; pairings still waiting fail. */
  void close() {
    channel.close();
  }

  /** What a waiting pairing is told when the channel closed. */
  private static String why(Channel c) {
    return switch (c.closeCause()) {
      case REJECTED -> "the relay rejected our blind-relay channel (it had no channel of its own waiting for ours)";
      case REMOTE_CLOSED -> "the relay closed the blind-relay channel";
      case TRANSPORT_CLOSED -> "the relay channel closed with its control stream";
      case MUX_DESTROYED -> "the relay channel closed: our protomux dropped the connection: "
          + c.mux().destroyCause();
      case LOCAL -> "the relay channel closed: we closed it";
    };
  }

  private void onPair(RelayPair m) {
    Request r;
    synchronized (this) {
      String key = HexFormat.of().formatHex(m.token());
      r = requests.get(key);
      if (r == null || r.initiator != m.initiator()) {
        return; // not ours, or the answer for the other end: ignored as JS does
      }
      requests.remove(key);
    }
    r.answer.complete((int) m.id());
  }

  private void closeAll(String why) {
    List<Request> waiting;
    synchronized (this) {
      closed = true;
      waiting = List.copyOf(requests.values());
      requests.clear();
    }
    for (Request r : waiting) {
      r.answer.completeExceptionally(HyperDhtException.of(HyperDhtException.Code.RELAY_ABORTED, why));
    }
  }
}
