package io.hyperinfer.hyperdht;

import io.hyperinfer.hyperdht.wire.NoisePayload;
import io.hyperinfer.hyperdht.wire.RelayThroughInfo;
import io.hyperinfer.secretstream.SecretStream;
import io.hyperinfer.secretstream.SecretStreamListener;
import io.hyperinfer.udx.UdxSocket;
import io.hyperinfer.udx.UdxStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection's use of a blind relay ({@code connect.js relayConnection}, {@code server.js _relayConnection},
 * {@code lib/relay-connection.js}): a control connection to the relay, a pairing request for the connection's raw
 * UDX stream, and, once the relay answers, where that stream is to send (the relay's address, through the control
 * connection's socket, to the stream the relay opened for us). The side whose relay was chosen (the server's when
 * both named one) pairs as initiator with its own token; the other uses the token it was sent. Gives up with
 * RELAY_ABORTED after {@link #PAIR_TIMEOUT_MS}. Thread-safe.
 */
final class RelayLink {
  /** JS's relay timeout. */
  static final long PAIR_TIMEOUT_MS = 15_000;
  /** JS's {@code relayKeepAlive} default for the control connection. */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(5);
  /**
   * How long an upgraded connection keeps its relay by default ({@link ConnectOptions#relayLinger},
   * {@link ServerOptions#relayLinger}): the peer switches when our first direct packets reach it, and its packets still
   * in flight through the relay are taken meanwhile (ours; JS waits for the first direct packet).
   */
  static final Duration LINGER = Duration.ofSeconds(5);

  /** Where the raw stream goes once paired. */
  record Paired(UdxSocket socket, InetSocketAddress relay, int remoteId) {}

  /** The relay and token to use and our side, from our own choice and the peer's payload. */
  record Plan(byte[] relayKey, byte[] token, boolean initiator) {
    /** Ours if we chose a relay (a server's choice wins on the client), else the peer's, else null: no relay. */
    static Plan of(RelayThroughInfo ours, NoisePayload theirs, boolean server) {
      RelayThroughInfo peer = theirs.relayThrough();
      if (server ? ours != null : peer == null && ours != null) {
        return new Plan(ours.publicKey(), ours.token(), true);
      }
      return peer == null ? null : new Plan(peer.publicKey(), peer.token(), false);
    }
  }

  private final CompletableFuture<Paired> paired = new CompletableFuture<>();
  private final MuxStream mux = new MuxStream();
  private volatile Control control;
  private ScheduledFuture<?> timeout;

  private RelayLink() {}

  /** The control connection to the relay, as far as the link needs it ({@link ConnectAttempt}). */
  interface Control {
    /** Completes with the open stream. */
    CompletableFuture<SecretStream> result();

    /** The connection's raw UDX stream (connected once the result completed). */
    UdxStream rawStream();
  }

  /** Starts the control connection to the relay with {@code listener} as its stream's listener. */
  @FunctionalInterface
  interface Dial {
    Control begin(SecretStreamListener listener);
  }

  /** Connects to the relay in {@code plan} and pairs {@code raw}; the future fails with RELAY_ABORTED. */
  static RelayLink start(Connections ctx, Plan plan, UdxStream raw) {
    return start(ctx.relayStats, ctx.defaultKeyPair().publicKey(), plan, raw.id(),
        listener -> ConnectAttempt.begin(ctx, plan.relayKey(), ConnectOptions.DEFAULT.withKeepAlive(KEEP_ALIVE),
            listener));
  }

  /**
   * The blind-relay channel is opened before the relay is dialled: the relay opens its end as soon as the connection
   * is up, and an open that finds no channel here is rejected at once (protomux), after which the relay rejects ours
   * too (JS creates the channel in the same tick as the connection, so it cannot lose this race).
   */
  static RelayLink start(RelayStats stats, byte[] ourKey, Plan plan, int rawId, Dial dial) {
    RelayLink link = new RelayLink();
    stats.attempts.incrementAndGet();
    link.paired.whenComplete((p, e) -> (e == null ? stats.successes : stats.aborts).incrementAndGet());
    synchronized (link) {
      link.timeout = ConnectTimer.schedule(() -> link.fail("no pairing within " + PAIR_TIMEOUT_MS + " ms"),
          PAIR_TIMEOUT_MS);
    }
    Control attempt;
    BlindRelayClient client;
    try {
      client = new BlindRelayClient(link.mux, ourKey);
      attempt = dial.begin(link.mux);
      link.control = attempt;
    } catch (HyperDhtException e) {
      link.fail(reason(e));
      return link;
    }
    attempt.result().whenComplete((stream, e) -> {
      if (e != null) {
        link.fail("cannot reach the relay: " + reason(e));
      } else {
        link.mux.attach(stream);
      }
    });
    link.mux.closed().whenComplete((why, e) -> link.fail("the relay connection closed: " + why));
    client.pair(plan.initiator(), plan.token(), rawId).whenComplete((remoteId, e) -> {
      if (e != null) {
        link.fail(reason(e));
        return;
      }
      attempt.result().thenAccept(s -> {
        UdxStream via = attempt.rawStream();
        link.succeed(new Paired(via.socket(), via.remoteAddress(), remoteId));
      });
    });
    return link;
  }

  /** Completes once paired; fails with RELAY_ABORTED. */
  CompletableFuture<Paired> paired() {
    return paired;
  }

  /** Whether a packet from {@code from} on {@code socket} came through the relay's control path. */
  boolean isRelayPath(UdxSocket socket, InetSocketAddress from) {
    Control c = control;
    UdxStream via = c == null ? null : c.rawStream();
    return via != null && via.connected() && via.socket() == socket && from.equals(via.remoteAddress());
  }

  /** Ends the control connection cleanly (the connection no longer needs the relay); {@code why} says who asked. */
  void close(String why) {
    fail("we closed it: " + why);
    mux.end("we ended it: " + why);
  }

  /** Drops the control connection now; {@code why} says who asked. */
  void destroy(String why) {
    fail("we dropped it: " + why);
    mux.destroy("we dropped it: " + why);
  }

  private void succeed(Paired p) {
    synchronized (this) {
      timeout.cancel(false);
    }
    paired.complete(p);
  }

  /** Why {@code e} ended the link, without a second RELAY_ABORTED prefix when it already is one. */
  private static String reason(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    return cause instanceof HyperDhtException h && h.code() == HyperDhtException.Code.RELAY_ABORTED
        ? h.plainMessage()
        : cause.getMessage();
  }

  private void fail(String why) {
    synchronized (this) {
      if (timeout != null) {
        timeout.cancel(false);
      }
    }
    if (paired.completeExceptionally(HyperDhtException.of(HyperDhtException.Code.RELAY_ABORTED, why))) {
      mux.destroy("the pairing failed: " + why);
    }
  }
}
