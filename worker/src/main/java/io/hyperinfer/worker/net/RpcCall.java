package io.hyperinfer.worker.net;

import com.fasterxml.jackson.databind.JsonNode;

/** One incoming request as a handler sees it. */
public record RpcCall(String method, JsonNode payload, PeerRef remote, CancelSignal cancel) {
  /** The caller's public key. */
  public byte[] remotePublicKey() {
    return remote.publicKey();
  }

  public String remotePublicKeyHex() {
    return remote.hex();
  }
}
