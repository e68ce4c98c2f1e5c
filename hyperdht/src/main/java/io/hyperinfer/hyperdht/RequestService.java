package io.hyperinfer.hyperdht;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtNode;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.IncomingRequest;
import io.hyperinfer.dht.ReplyOptions;
import io.hyperinfer.dht.RequestHandler;
import io.hyperinfer.hyperdht.wire.Peer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * HyperDHT's side of a dht-rpc node ({@code index.js onrequest}): turns each external request into a
 * {@link ReceivedRequest}, lets {@link HyperDhtRequests} decide, and carries the decision out through the request
 * (reply, error, relay, silence, or UNKNOWN_COMMAND by returning false). It owns the node's {@link Router}, its
 * {@link RecordStorage} (created the first time the node has an id, as JS creates it on {@code 'persistent'}) and the
 * registry of local servers. Routes and records expire on the node loop's clock; bumps are checked against the
 * runtime's wall clock.
 *
 * <p>Confined to the node loop, except {@link #drops()}, which any thread may read.
 */
final class RequestService implements RequestHandler {
  private final DhtNode node;
  private final CacheOptions caches;
  private final DropCounter drops = new DropCounter();
  private final Router router;
  private final InstantSource loopClock;
  private final Map<Bytes32, LocalServer> servers = new HashMap<>();
  private final AtomicLong handshakesForwarded = new AtomicLong();
  private final AtomicLong holepunchesForwarded = new AtomicLong();
  private RecordStorage storage;

  RequestService(DhtNode node, CacheOptions caches) {
    this.node = node;
    this.caches = caches;
    this.loopClock = clock(node::nowMs);
    this.router = new Router(caches.maxSize(), caches.maxAge(), loopClock, drops);
  }

  private static InstantSource clock(java.util.function.LongSupplier millis) {
    return () -> Instant.ofEpochMilli(millis.getAsLong());
  }

  DropCounter drops() {
    return drops;
  }

  /** PEER_HANDSHAKE messages this node passed on (relayed, or replied to the client on a server's behalf). */
  long handshakesForwarded() {
    return handshakesForwarded.get();
  }

  /** PEER_HOLEPUNCH messages this node passed on. */
  long holepunchesForwarded() {
    return holepunchesForwarded.get();
  }

  Router router() {
    return router;
  }

  /** The record storage while the node has an id (created then), else empty. */
  Optional<RecordStorage> storage() {
    return Optional.ofNullable(storageIfPersistent(node.id()));
  }

  private RecordStorage storageIfPersistent(byte[] id) {
    if (id == null) {
      return null;
    }
    if (storage == null) {
      storage = new RecordStorage(router, caches, loopClock, clock(node.runtime()::wallMs), node.runtime().random(),
          drops);
    }
    return storage;
  }

  /**
   * Pins {@code server}'s route on {@code target} with {@code record} (again: updates the record); false when another
   * server listens there.
   */
  boolean listen(Bytes32 target, Peer record, LocalServer server) {
    LocalServer current = servers.get(target);
    if (current != null && current != server) {
      return false;
    }
    if (!router.listen(target, record)) {
      throw DhtException.badArgument("too many servers listen on this node: " + servers.size());
    }
    servers.put(target, server);
    return true;
  }

  /** Removes the local server of {@code target} and its route; false when none listened there. */
  boolean unlisten(Bytes32 target) {
    if (servers.remove(target) == null) {
      return false;
    }
    router.delete(target);
    return true;
  }

  int localServers() {
    return servers.size();
  }

  @Override
  public boolean onRequest(IncomingRequest req) {
    byte[] id = node.id();
    // dht-rpc has answered INVALID_TOKEN already: a token that reaches a handler is one of ours.
    ReceivedRequest received = new ReceivedRequest(req.command(), req.target(), req.token(), true, req.value(),
        req.from().address());
    return carryOut(HyperDhtRequests.dispatch(received, router, storageIfPersistent(id), id), req, null);
  }

  /** Does what {@code decision} says with {@code req}; false only for UNKNOWN_COMMAND. */
  private boolean carryOut(Decision decision, IncomingRequest req, DhtSocket chosen) {
    switch (decision) {
      case Outcome.Reply r -> {
        if (r.to() != null) {
          countForward(req);
        }
        req.reply(r.value(), new ReplyOptions(r.withToken(), r.withCloserNodes(), r.to(), socket(r.socket(), chosen)));
      }
      case Outcome.ErrorReply e -> req.error(e.error(),
          new ReplyOptions(e.withToken(), e.withCloserNodes(), null, null));
      case Outcome.Relay r -> {
        countForward(req);
        req.relay(r.value(), r.to(), socket(r.socket(), chosen));
      }
      case Outcome.Drop ignored -> {
        // silent, as JS; counted where it was decided
      }
      case Outcome.Unhandled ignored -> {
        return false;
      }
      case Decision.ServerHandshake s -> ask(s.target(), req,
          server -> server.onHandshake(s.handshake(), req),
          answer -> router.onServerHandshake(s.handshake(), req.from().address(), answer));
      case Decision.ServerHolepunch s -> ask(s.target(), req,
          server -> server.onHolepunch(s.holepunch(), req),
          answer -> router.onServerHolepunch(s.holepunch(), req.from().address(), answer));
      case Decision.ToPlugin ignored -> {
        // This node registers no plugins, so its storage never hands a request over; stay silent as JS would.
      }
    }
    return true;
  }

  private void countForward(IncomingRequest req) {
    (req.command() == Command.PEER_HANDSHAKE.id() ? handshakesForwarded : holepunchesForwarded).incrementAndGet();
  }

  private static DhtSocket socket(ReplySocket which, DhtSocket chosen) {
    return which == ReplySocket.SERVER_CHOSEN ? chosen : null;
  }

  /**
   * Asks the local server of {@code target}, then carries out what the router makes of its answer, back on the
   * loop. A missing server, a null answer or a failure is a counted silence.
   */
  private void ask(Bytes32 target, IncomingRequest req, Function<LocalServer, CompletionStage<LocalServer.Answer>> call,
      Function<byte[], Outcome> routerAnswer) {
    LocalServer server = servers.get(target);
    CompletionStage<LocalServer.Answer> pending;
    try {
      pending = server == null ? null : call.apply(server);
    } catch (RuntimeException e) {
      pending = null;
    }
    if (pending == null) {
      drops.drop(DropReason.SERVER_DECLINED);
      return;
    }
    pending.whenComplete((answer, error) -> node.execute(() -> {
      LocalServer.Answer a = error == null ? answer : null;
      carryOut(routerAnswer.apply(a == null ? null : a.value()), req, a == null ? null : a.socket());
    }));
  }
}
