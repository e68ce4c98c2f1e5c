package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;

/** One announcer's answer in a fan-out: a result or an error, never both. */
public record PeerReply(PeerRef peer, JsonNode result, NetException error) {
  public PeerReply {
    if ((result == null) == (error == null)) {
      throw new IllegalArgumentException("a peer reply has exactly one of result and error");
    }
  }

  public static PeerReply ok(PeerRef peer, JsonNode result) {
    return new PeerReply(peer, result, null);
  }

  public static PeerReply failed(PeerRef peer, NetException error) {
    return new PeerReply(peer, null, error);
  }

  public boolean isOk() {
    return error == null;
  }
}
