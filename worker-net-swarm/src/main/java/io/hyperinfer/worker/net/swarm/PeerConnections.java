package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.rpc.RpcConnection;
import io.hyperinfer.rpc.RpcConnectionListener;
import io.hyperinfer.rpc.RpcSession;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.worker.net.PeerRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Open RPC connections by the remote key their Noise handshake proved, inbound (our server's) and outbound (our pooled
 * clients') together: a peer is reported lost when its last connection closes, whoever closed it, since nothing can
 * reach it or come from it any more (unless none of them was ever taken up by the peer, see {@link #closed}). Holds
 * one entry per open channel (bounded by the server's admission caps, the pool and the swarm). Each connection gets
 * the idle timeout, so a peer that went silent (killed, cut off) is closed after it whatever state UDX's
 * retransmissions are in. Thread-safe.
 */
final class PeerConnections implements RpcConnectionListener {
  private final Map<PeerRef, Channels> open = new HashMap<>(); // guarded by this
  /** The connection under each open channel, to ask at its close whether the peer went silent. */
  private final Map<RpcSession, RpcConnection> under = new ConcurrentHashMap<>();
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
    RpcSession session = connection.session().getNow(null);
    if (session != null) {
      under.put(session, connection);
    }
  }

  @Override
  public void onOpen(byte[] remotePublicKey, RpcSession session, boolean inbound) {
    opened(new PeerRef(remotePublicKey), session);
  }

  /**
   * A channel whose connection ended with the peer silent counts as taken up even if the peer's open never came: the
   * peer pairs on our open and may have been serving our calls, its open still on the way, when it died.
   */
  @Override
  public void onClose(byte[] remotePublicKey, RpcSession session, boolean inbound) {
    RpcConnection connection = under.remove(session);
    boolean silent = connection != null && connection.peerWentSilent();
    closed(new PeerRef(remotePublicKey), session, session.isOpened() || silent);
  }

  /** {@code channel} with {@code peer} is set up on our side. */
  void opened(PeerRef peer, Object channel) {
    synchronized (this) {
      open.computeIfAbsent(peer, k -> new Channels()).all.add(channel);
    }
    onOpen.accept(peer);
  }

  /**
   * {@code channel} closed; {@code tookUp}: the peer had (or, silent at the end, may have) opened its side. The peer
   * is lost when its last channel closed and at least one of them had been taken up: channels the peer never took up
   * (the losers of a swarm deduplication, closed before they served anything) carried none of its calls and answered
   * none of ours, so they alone make no peer lost, and calls sent on them fail on their own (and may be sent again,
   * SwarmTransport).
   */
  void closed(PeerRef peer, Object channel, boolean tookUp) {
    boolean lost;
    synchronized (this) {
      Channels c = open.get(peer);
      if (c == null || !c.all.remove(channel)) {
        return;
      }
      c.tookUp |= tookUp;
      lost = c.all.isEmpty() && c.tookUp;
      if (c.all.isEmpty()) {
        open.remove(peer);
      }
    }
    if (lost) {
      onLost.accept(peer);
    }
  }

  /** One peer's open channels, and whether any of them since it had none was taken up by the peer. */
  private static final class Channels {
    final Set<Object> all = new HashSet<>();
    boolean tookUp;
  }

  /** Connections open with {@code peer} now. */
  int count(PeerRef peer) {
    synchronized (this) {
      Channels c = open.get(peer);
      return c == null ? 0 : c.all.size();
    }
  }

  /** Peers with at least one open connection. */
  synchronized int peers() {
    return open.size();
  }
}
