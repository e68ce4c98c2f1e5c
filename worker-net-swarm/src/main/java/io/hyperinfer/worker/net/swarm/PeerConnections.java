package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.rpc.RpcConnection;
import io.hyperinfer.rpc.RpcConnectionListener;
import io.hyperinfer.rpc.RpcSession;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Open RPC connections by the remote key their Noise handshake proved, inbound (our server's) and outbound (our pooled
 * clients') together: a peer is reported lost when its last connection closes, whoever closed it, since nothing can
 * reach it or come from it any more. Holds one counter per connected peer (bounded by the server's admission caps and
 * the pool). Each connection gets the idle timeout, so a peer that went silent (killed, cut off) is closed after it
 * whatever state UDX's retransmissions are in. Thread-safe.
 */
final class PeerConnections implements RpcConnectionListener {
  private final Map<PeerRef, Integer> open = new ConcurrentHashMap<>();
  private final Consumer<PeerRef> onOpen;
  private final Consumer<PeerRef> onLost;
  private final Duration idleTimeout;

  /**
   * {@code onOpen} hears of every connection that opens, {@code onLost} of each peer whose last one closed;
   * {@code idleTimeout} (zero: off) is set on every connection's stream.
   */
  PeerConnections(Consumer<PeerRef> onOpen, Consumer<PeerRef> onLost, Duration idleTimeout) {
    this.onOpen = onOpen;
    this.onLost = onLost;
    this.idleTimeout = idleTimeout;
  }

  @Override
  public void onConnected(RpcConnection connection, boolean inbound) {
    SecretStream stream = connection.stream();
    if (stream != null && idleTimeout.isPositive()) {
      stream.setTimeout(idleTimeout);
    }
  }

  @Override
  public void onOpen(byte[] remotePublicKey, RpcSession session, boolean inbound) {
    PeerRef peer = new PeerRef(remotePublicKey);
    open.merge(peer, 1, Integer::sum);
    onOpen.accept(peer);
  }

  @Override
  public void onClose(byte[] remotePublicKey, RpcSession session, boolean inbound) {
    PeerRef peer = new PeerRef(remotePublicKey);
    boolean[] last = {false};
    open.computeIfPresent(peer, (k, n) -> {
      if (n > 1) {
        return n - 1;
      }
      last[0] = true;
      return null;
    });
    if (last[0]) {
      onLost.accept(peer);
    }
  }

  /** Connections open with {@code peer} now. */
  int count(PeerRef peer) {
    return open.getOrDefault(peer, 0);
  }

  /** Peers with at least one open connection. */
  int peers() {
    return open.size();
  }
}
