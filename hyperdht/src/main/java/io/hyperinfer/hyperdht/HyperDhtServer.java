package io.hyperinfer.hyperdht;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.HolepunchInfo.RelayInfo;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A HyperDHT server (JS {@code dht.createServer()}, {@code lib/server.js}): {@link #listen} registers it with the node
 * (which then routes handshakes for {@code hash(publicKey)} here) and keeps it announced on the closest nodes
 * ({@link Announcer}); each Noise message 1 gets one handshake slot ({@link ServerHandshakes}), however many relays
 * it arrives through, and each accepted client one {@link HyperDhtConnection} for the {@link ConnectionHandler}.
 * {@link #close} unannounces and tears everything down.
 *
 * <p>A server that is not reachable directly offers a holepunch: its Noise payload names its handshake slot and its
 * relays, the client's rounds reach {@link ServerPunch} through them, and the stream connects through the puncher
 * socket both sides punched ({@link Holepuncher}). A reachable server (one with a public address) dials nothing and
 * waits for the client.
 *
 * <p>Thread-safe. Handshakes are handled on the node loop; the handler runs on virtual threads.
 */
public final class HyperDhtServer implements AutoCloseable {
  private enum State { IDLE, LISTENING, CLOSING, CLOSED }

  private final Connections connections;
  private final ServerOptions options;
  private final ConnectionHandler handler;
  private final Local local = new Local();
  private volatile State state = State.IDLE;
  private volatile KeyPair keyPair;
  private volatile Announcer announcer;
  private volatile ServerHandshakes handshakes;
  private CompletableFuture<Void> closing;

  HyperDhtServer(Connections connections, ServerOptions options, ConnectionHandler handler) {
    this.connections = connections;
    this.options = options;
    this.handler = handler;
  }

  /**
   * Listens with {@code keyPair} (JS {@code server.listen(keyPair)}): routes this key's handshakes here and announces
   * it to the three closest nodes. Completes once the first announce settled (with or without relays).
   *
   * @return fails with {@code ALREADY_LISTENING}, {@code KEYPAIR_ALREADY_USED} (another server on this node has the
   *     key) or {@code NODE_DESTROYED}
   */
  public synchronized CompletableFuture<Void> listen(KeyPair keyPair) {
    if (state != State.IDLE) {
      return CompletableFuture.failedFuture(state == State.LISTENING ? HyperDhtException.alreadyListening()
          : HyperDhtException.nodeDestroyed());
    }
    if (connections.node.destroyed()) {
      return CompletableFuture.failedFuture(HyperDhtException.nodeDestroyed());
    }
    byte[] target = HyperDhtCrypto.hash(keyPair.publicKey());
    Announcer a = new Announcer(connections.node, keyPair, target);
    this.keyPair = keyPair;
    this.announcer = a;
    this.handshakes = new ServerHandshakes(connections, options, keyPair, a, handler);
    state = State.LISTENING;
    connections.servers.add(this);
    return connections.dht.listen(a.record(), local)
        .thenCompose(v -> a.start())
        .whenComplete((v, e) -> {
          if (e != null) {
            close();
          }
        });
  }

  /** The key pair listened with, or null. */
  public byte[] publicKey() {
    KeyPair k = keyPair;
    return k == null ? null : k.publicKey();
  }

  /** Whether {@link #listen} succeeded and {@link #close} was not called. */
  public boolean listening() {
    return state == State.LISTENING;
  }

  /** Where clients can reach this server (JS {@code server.relayAddresses}): up to 3 relays, or empty. */
  public List<HostPort> relayAddresses() {
    Announcer a = announcer;
    return a == null ? List.of() : a.relayAddresses();
  }

  /** The relays of the last announce, each with this server's address as it saw it. */
  public List<RelayInfo> relays() {
    Announcer a = announcer;
    return a == null ? List.of() : a.relays();
  }

  /** Announces again after the current relay check (JS {@code server.refresh()}). */
  public void refresh() {
    Announcer a = announcer;
    if (a != null && state == State.LISTENING) {
      a.refresh();
    }
  }

  /** This server's handshake and connection counters. */
  public ConnectionStats.Server stats() {
    ServerHandshakes h = handshakes;
    if (h == null) {
      return ConnectionStats.Server.NONE;
    }
    return connections.dht.onLoop(h::stats);
  }

  /** Announce cycles run, and those started early because a relay saw this server at another address. */
  long announces() {
    Announcer a = announcer;
    return a == null ? 0 : a.updates();
  }

  long driftRefreshes() {
    Announcer a = announcer;
    return a == null ? 0 : a.driftRefreshes();
  }

  /**
   * Stops listening (JS {@code server.close()}): no more handshakes are answered, handshakes waiting for their first
   * packet are dropped, and the record is unannounced from the current relays. Connections already made stay open.
   * Completes when the relays answered the unannounces (or failed to).
   */
  public synchronized CompletableFuture<Void> closeAsync() {
    if (closing != null) {
      return closing;
    }
    State was = state;
    state = State.CLOSING;
    if (was == State.IDLE) {
      state = State.CLOSED;
      closing = CompletableFuture.completedFuture(null);
      return closing;
    }
    KeyPair k = keyPair;
    ServerHandshakes h = handshakes;
    Announcer a = announcer;
    connections.node.execute(h::clear);
    closing = connections.dht.unlisten(k.publicKey()).handle((v, e) -> null)
        .thenCompose(v -> a.stop())
        .whenComplete((v, e) -> {
          state = State.CLOSED;
          connections.servers.remove(this);
        });
    return closing;
  }

  /** {@link #closeAsync()}, waited for. */
  @Override
  public void close() {
    closeAsync().join();
  }

  @Override
  public String toString() {
    KeyPair k = keyPair;
    return "HyperDhtServer[" + (k == null ? "idle" : HexFormat.of().formatHex(k.publicKey()).substring(0, 16)) + ", "
        + state + "]";
  }

  /** The router's view of this server. */
  private final class Local implements LocalServer {
    @Override
    public CompletionStage<Answer> onHandshake(Handshake handshake, IncomingRequest request) {
      ServerHandshakes h = handshakes;
      Answer reply = state == State.LISTENING && h != null ? h.answer(handshake, request) : null;
      return reply == null ? null : CompletableFuture.completedFuture(reply);
    }

    @Override
    public CompletionStage<Answer> onHolepunch(Holepunch holepunch, IncomingRequest request) {
      ServerHandshakes h = handshakes;
      return state == State.LISTENING && h != null ? h.holepunch(holepunch, request) : null;
    }
  }
}
