package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.rpc.HyperswarmRpc;
import io.hyperinfer.rpc.HyperswarmRpcServer;
import io.hyperinfer.rpc.ResponseListener;
import io.hyperinfer.rpc.RpcClient;
import io.hyperinfer.rpc.RpcException;
import io.hyperinfer.rpc.RpcRequest;
import io.hyperinfer.rpc.RpcSession;
import io.hyperinfer.swarm.Swarm;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.spi.StreamFrames;
import io.hyperinfer.worker.net.spi.Transport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link Transport} over @hyperswarm/rpc on HyperDHT connections (a {@link SwarmNode}). Requests and events go to a
 * public key through the RPC's pooled clients (one connection per key, connected once however many ask, kept for the
 * linger after the last call), or, with {@code connections=swarm}, over the swarm's one connection with that key
 * ({@link SwarmLinks}), which both directions share. Every request and event arriving on any of our connections, those our RPC server
 * accepted and those our clients opened, goes to the machinery, which keeps the method registry and the firewall (so a
 * refused caller hears ERR_FORBIDDEN whatever the method): a request becomes a {@link SwarmExchange} whose remote is
 * the key the connection's Noise handshake proved, never one from the payload, and whose events (stream chunks) go back
 * on that connection. When the last connection with a key closes the peer is reported lost ({@link PeerConnections}).
 * Errors map through {@link RpcErrors}. Arrivals are handed over on the UDX loop (the machinery only queues them),
 * except chunks, which run a caller's stream listener: each on a virtual thread. Thread-safe.
 */
final class SwarmTransport implements Transport {
  private static final byte[] EMPTY = new byte[0];
  private static final CompletableFuture<byte[]> NO_REPLY = CompletableFuture.completedFuture(null);
  /** How many times a request that reached no handler goes out again (a pair settles on one connection at once). */
  private static final int MAX_RESENDS = 2;

  private final SwarmNode node;
  private volatile Inbound inbound;
  private volatile PeerConnections connections;

  SwarmTransport(SwarmNode node) {
    this.node = node;
  }

  @Override
  public void open(KeyPair identity, Inbound in) {
    HyperswarmRpc rpc = node.rpc();
    HyperswarmRpcServer s = node.server();
    // A loss heard late from an earlier start's connections goes nowhere.
    PeerConnections peers = new PeerConnections(node.unreachable()::reached, peer -> {
      if (inbound == in) {
        in.onConnectionLost(peer);
      }
    }, node.settings().idleTimeout());
    connections = peers;
    inbound = in;
    rpc.addConnectionListener(peers);
    rpc.clientResponders().respondAny(this::onMessage);
    s.respondAny(this::onMessage);
    Duration limit = node.settings().bootstrapTimeout();
    Swarm swarm = node.swarm();
    try {
      (swarm != null ? swarm.listen() : s.listen()).get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new WorkerException(WorkerException.Code.START_FAILED, "the RPC server could not listen on the DHT: "
          + RpcErrors.unwrap(e).getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkerException(WorkerException.Code.START_FAILED, "interrupted while listening", e);
    }
  }

  /**
   * Sends through the pooled client with a listener: the outcome reaches {@code reply} on the connection's UDX loop,
   * where the reply arrived, instead of being handed to another thread first (a future's completion would be), so a
   * caller blocked on the machinery's future is woken by the loop directly. The machinery's replies only settle
   * state and hand listener code to virtual threads (Transport.Reply).
   */
  @Override
  public void request(PeerRef to, String method, byte[] payload, Duration timeout, Reply reply) {
    SwarmLinks links = node.links();
    if (links == null) {
      node.rpc().request(to.publicKey(), method, payload, timeout, listener(to, method, reply));
      return;
    }
    long deadlineNs = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
    requestOver(links, to, method, payload, timeout, deadlineNs, MAX_RESENDS, reply);
  }

  /**
   * Sends on the swarm's connection with {@code to}. A request whose connection closed before the peer took up its end
   * of the RPC channel goes out again on the next connection (at most {@code resends} more times, within the first
   * attempt's timeout): protomux delivers a request only to a channel the peer opened, and the peer's open precedes
   * anything it sends on it, so that request reached no handler; this is the loser of a deduplication when both sides
   * dialed at once. Not a connection that timed out with the peer silent: the peer's open may have been on its way when
   * it died, after its handler took the request ({@link #neverTakenUp}); that call fails as lost. A resend waits for
   * the next connection rather than dialing at once: the surviving one is on its way, or the swarm's retry brings it
   * after its backoff (a peer that redialled a connection our swarm kept as fresh, {@link SwarmLinks#mayReplace}, gets
   * through then). A request on a channel the peer had taken up may have run, and is never sent again. The machinery
   * hears which connection carries it ({@link Reply#onSent}), so a loss of the key reported late spares it while that
   * connection is open, and protomux-rpc fails it at the close.
   */
  private void requestOver(SwarmLinks links, PeerRef to, String method, byte[] payload, Duration timeout,
      long deadlineNs, int resends, Reply reply) {
    links.client(to, resends == MAX_RESENDS).whenComplete((client, failure) -> {
      if (failure != null) {
        node.unreachable().failed(to);
        reply.onError(RpcErrors.unavailable(to, RpcErrors.unwrap(failure)));
        return;
      }
      reply.onSent(() -> !client.isClosed());
      ResponseListener settle = listener(to, method, reply);
      client.request(method, payload, remaining(timeout, deadlineNs), resends == 0 ? settle : new ResponseListener() {
        @Override
        public void onResponse(byte[] value) {
          settle.onResponse(value);
        }

        @Override
        public void onError(RpcException error) {
          if (neverTakenUp(client, error)) {
            requestOver(links, to, method, payload, timeout, deadlineNs, resends - 1, reply);
          } else {
            settle.onError(error);
          }
        }
      });
    });
  }

  /** What is left of the first attempt's timeout (at least 1 ms), or null for none. */
  static Duration remaining(Duration timeout, long deadlineNs) {
    return timeout == null ? null : Duration.ofNanos(Math.max(1_000_000, deadlineNs - System.nanoTime()));
  }

  /**
   * Whether {@code error} is {@code client}'s connection closed by the peer before it ever opened its RPC channel. Not
   * when the connection ended because the peer went silent: the peer pairs its channel when our open arrives and may
   * have run the request with its own open still on the way when it died (that call was lost mid-call).
   */
  static boolean neverTakenUp(RpcClient client, RpcException error) {
    if (error.code() != RpcException.Code.CHANNEL_CLOSED || client.connection().peerWentSilent()) {
      return false;
    }
    CompletableFuture<RpcSession> session = client.connection().session();
    return !session.isDone() || session.isCompletedExceptionally() || !session.join().isOpened();
  }

  private ResponseListener listener(PeerRef to, String method, Reply reply) {
    return new ResponseListener() {
      @Override
      public void onResponse(byte[] value) {
        reply.onResponse(value);
      }

      @Override
      public void onError(RpcException error) {
        NetException failure = RpcErrors.fromWire(error, to, method);
        if (NetException.ERR_PEER_UNAVAILABLE.equals(failure.code())) {
          node.unreachable().failed(to);
        }
        reply.onError(failure);
      }
    };
  }

  @Override
  public void event(PeerRef to, String method, byte[] payload) {
    SwarmLinks links = node.links();
    if (links != null) {
      links.client(to).thenAccept(client -> send(() -> client.event(method, payload)));
      return;
    }
    send(() -> node.rpc().event(to.publicKey(), method, payload));
  }

  private static void send(Runnable event) {
    try {
      event.run();
    } catch (RuntimeException unreachableOrClosed) {
      // An event reports nothing, even when the peer is gone.
    }
  }

  /** Stops delivering; the facility then closes the node (the RPC server unannounces, connections close). */
  @Override
  public void close() {
    inbound = null;
  }

  /** Peers with an open connection now (diagnostics). */
  int connectedPeers() {
    PeerConnections c = connections;
    return c == null ? 0 : c.peers();
  }

  /** Connections open with {@code peer} now, whoever opened them. */
  int connectionsWith(PeerRef peer) {
    PeerConnections c = connections;
    return c == null ? 0 : c.count(peer);
  }

  /**
   * A request or event on any of our connections, whoever opened it; runs on the UDX loop, so it only hands over.
   * A chunk runs the stream's listener, so it goes on a virtual thread (the stream puts chunks back in order).
   */
  private CompletionStage<byte[]> onMessage(RpcRequest request) {
    Inbound in = inbound;
    if (in == null) {
      return CompletableFuture.failedFuture(RpcErrors.toWire(
          new NetException(NetException.ERR_PEER_UNAVAILABLE, "peer is stopping")));
    }
    PeerRef from = new PeerRef(request.session().remotePublicKey());
    byte[] value = request.value() == null ? EMPTY : request.value();
    if (request.event()) {
      if (StreamFrames.CHUNK.equals(request.method())) {
        Thread.ofVirtual().name("net-chunk").start(() -> in.onEvent(from, request.method(), value));
      } else {
        in.onEvent(from, request.method(), value);
      }
      return NO_REPLY;
    }
    SwarmExchange exchange = new SwarmExchange(from, request.method(), value, request.session());
    in.onRequest(exchange);
    return exchange.outcome();
  }
}
