package io.hyperinfer.hyperdht;

import io.hyperinfer.encoding.Buf;
import io.hyperinfer.encoding.Codec;
import io.hyperinfer.encoding.Compact;
import io.hyperinfer.encoding.EncodingException;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.cache.GenerationCache;
import io.hyperinfer.hyperdht.wire.Handshake;
import io.hyperinfer.hyperdht.wire.Holepunch;
import io.hyperinfer.hyperdht.wire.Peer;
import io.hyperinfer.hyperdht.wire.RouteMode;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Optional;

/**
 * The forwarding role every node plays ({@code lib/router.js}): the table of routes to servers, and what to do with a
 * PEER_HANDSHAKE or PEER_HOLEPUNCH in each mode. Pure decisions, no I/O: the node carries out the {@link Decision}s.
 *
 * <p>Routes for announced servers expire like records (they live in a {@link GenerationCache}; reading one refreshes
 * it); routes of local servers are pinned until {@link #delete}.
 *
 * <p>Where JS would ask a local server and then drop its answer (a FROM_SERVER or REPLY message sent to a server, or
 * FROM_SECOND_RELAY without a relay address), the server is not asked: the drop is the same, without the work.
 * Not thread-safe: confined to the DHT node loop.
 */
public final class Router {
  private final GenerationCache<Bytes32, Route> forwards;
  private final DropCounter drops;

  /**
   * An empty router.
   *
   * @param maxSize routes per generation ({@code opts.maxSize}, 65,536 by default)
   * @param maxAge route lifetime ({@code opts.maxAge}, 20 min by default)
   * @param clock the time source of expiry
   * @param drops where silent drops are counted
   */
  public Router(int maxSize, Duration maxAge, InstantSource clock, DropCounter drops) {
    this.forwards = new GenerationCache<>(maxSize, maxAge, clock);
    this.drops = drops;
  }

  /** The route for {@code target}, refreshing it. */
  public Optional<Route> get(Bytes32 target) {
    return forwards.get(target);
  }

  /** Routes {@code target} to {@code relay}; ignored while a local server listens on it, as in JS. */
  public void forward(Bytes32 target, HostPort relay, Peer record) {
    forwards.set(target, new Route(record, relay, false));
  }

  /**
   * Pins a local server's route ({@code server.listen}).
   *
   * @return false when the table already pins as many local servers as it holds routes
   */
  public boolean listen(Bytes32 target, Peer record) {
    return forwards.retain(target, new Route(record, null, true));
  }

  /** Removes the route, local or not. */
  public void delete(Bytes32 target) {
    forwards.delete(target);
  }

  /** Routes in the table. */
  public int size() {
    return forwards.size();
  }

  /** A PEER_HANDSHAKE request ({@code onpeerhandshake}). */
  public Decision onPeerHandshake(ReceivedRequest req) {
    Decoded<Handshake> decoded = Decoded.of(req.value(), Handshake.CODEC, drops);
    if (decoded.drop() != null) {
      return decoded.drop();
    }
    Handshake hs = decoded.value();
    Bytes32 target = req.targetKey();
    Route route = routeFor(target);
    if (route != null && route.localServer()) {
      return switch (hs.mode()) {
        case FROM_CLIENT, FROM_RELAY -> new Decision.ServerHandshake(target, hs);
        case FROM_SECOND_RELAY -> hs.relayAddress() == null ? drops.drop(DropReason.MISSING_RELAY_ADDRESS)
            : new Decision.ServerHandshake(target, hs);
        case FROM_SERVER, REPLY -> drops.drop(DropReason.UNEXPECTED_MODE);
      };
    }
    HostPort relay = route == null ? null : route.relay();
    return switch (hs.mode()) {
      case FROM_CLIENT -> {
        if (relay == null && hs.relayAddress() == null) {
          // Help the client route closer: an empty answer with closer nodes.
          yield new Outcome.Reply(null, false, true, null, ReplySocket.RECEIVING);
        }
        yield relay(new Handshake(RouteMode.FROM_RELAY, hs.noise(), req.from(), null),
            hs.relayAddress() != null ? hs.relayAddress() : relay);
      }
      case FROM_RELAY -> relay == null ? drops.drop(DropReason.NO_ROUTE)
          : relay(new Handshake(RouteMode.FROM_SECOND_RELAY, hs.noise(), hs.peerAddress(), req.from()), relay);
      case FROM_SERVER -> hs.peerAddress() == null ? drops.drop(DropReason.MISSING_PEER_ADDRESS)
          : new Outcome.Reply(encode(new Handshake(RouteMode.REPLY, hs.noise(), req.from(), null)), false, false,
              hs.peerAddress(), ReplySocket.RECEIVING);
      case FROM_SECOND_RELAY, REPLY -> drops.drop(DropReason.UNEXPECTED_MODE);
    };
  }

  /**
   * The local server's answer to a {@link Decision.ServerHandshake}.
   *
   * @param received the handshake as the decision carried it
   * @param from the requester (the client, or the relay that forwarded)
   * @param replyNoise the server's Noise message 2, or null when it declined
   */
  public Outcome onServerHandshake(Handshake received, HostPort from, byte[] replyNoise) {
    if (replyNoise == null) {
      return drops.drop(DropReason.SERVER_DECLINED);
    }
    return switch (received.mode()) {
      case FROM_CLIENT -> new Outcome.Reply(encode(new Handshake(RouteMode.REPLY, replyNoise, null, null)), false,
          false, null, ReplySocket.SERVER_CHOSEN);
      case FROM_RELAY -> new Outcome.Relay(
          encode(new Handshake(RouteMode.FROM_SERVER, replyNoise, received.peerAddress(), null)), from,
          ReplySocket.SERVER_CHOSEN);
      case FROM_SECOND_RELAY -> received.relayAddress() == null ? drops.drop(DropReason.MISSING_RELAY_ADDRESS)
          : new Outcome.Relay(encode(new Handshake(RouteMode.FROM_SERVER, replyNoise, received.peerAddress(), null)),
              received.relayAddress(), ReplySocket.SERVER_CHOSEN);
      case FROM_SERVER, REPLY -> drops.drop(DropReason.UNEXPECTED_MODE);
    };
  }

  /** A PEER_HOLEPUNCH request ({@code onpeerholepunch}). */
  public Decision onPeerHolepunch(ReceivedRequest req) {
    Decoded<Holepunch> decoded = Decoded.of(req.value(), Holepunch.CODEC, drops);
    if (decoded.drop() != null) {
      return decoded.drop();
    }
    Holepunch hp = decoded.value();
    Bytes32 target = req.targetKey();
    Route route = routeFor(target);
    HostPort relay = route == null ? null : route.relay();
    return switch (hp.mode()) {
      case FROM_CLIENT -> {
        // Any node forwards a client's round, to the address the client names if it names one.
        HostPort to = hp.peerAddress() != null ? hp.peerAddress() : relay;
        yield to == null ? drops.drop(DropReason.NO_ROUTE)
            : relay(new Holepunch(RouteMode.FROM_RELAY, hp.id(), hp.payload(), req.from()), to);
      }
      case FROM_RELAY -> {
        if (route == null || !route.localServer()) {
          yield drops.drop(DropReason.NOT_A_SERVER);
        }
        yield hp.peerAddress() == null ? drops.drop(DropReason.MISSING_PEER_ADDRESS)
            : new Decision.ServerHolepunch(target, hp);
      }
      case FROM_SERVER -> new Outcome.Reply(
          encode(new Holepunch(RouteMode.REPLY, hp.id(), hp.payload(), req.from())), false, false, hp.peerAddress(),
          ReplySocket.RECEIVING);
      case FROM_SECOND_RELAY, REPLY -> drops.drop(DropReason.UNEXPECTED_MODE);
    };
  }

  /**
   * The local server's answer to a {@link Decision.ServerHolepunch}.
   *
   * @param received the round as the decision carried it
   * @param from the relay that forwarded it
   * @param replyPayload the server's sealed reply payload, or null when it declined
   */
  public Outcome onServerHolepunch(Holepunch received, HostPort from, byte[] replyPayload) {
    if (replyPayload == null) {
      return drops.drop(DropReason.SERVER_DECLINED);
    }
    return new Outcome.Relay(encode(new Holepunch(RouteMode.FROM_SERVER, 0, replyPayload, received.peerAddress())),
        from, ReplySocket.SERVER_CHOSEN);
  }

  /** The route for a request's target (refreshing it), or null without a target or a route. */
  private Route routeFor(Bytes32 target) {
    return target == null ? null : forwards.get(target).orElse(null);
  }

  private static Outcome.Relay relay(Handshake hs, HostPort to) {
    return new Outcome.Relay(encode(hs), to, ReplySocket.RECEIVING);
  }

  private static Outcome.Relay relay(Holepunch hp, HostPort to) {
    return new Outcome.Relay(encode(hp), to, ReplySocket.RECEIVING);
  }

  static byte[] encode(Handshake hs) {
    return Compact.encode(Handshake.CODEC, hs);
  }

  static byte[] encode(Holepunch hp) {
    return Compact.encode(Holepunch.CODEC, hp);
  }

  /** The value decoded, or null when it is malformed (JS decodes in a try and returns on failure). */
  static <T> T decodeOrNull(Codec<T> codec, byte[] value) {
    try {
      return codec.decode(Buf.wrap(value));
    } catch (EncodingException e) {
      return null;
    }
  }
}
