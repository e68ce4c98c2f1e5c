package io.hyperinfer.dht.internal;

import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.Peer;
import io.hyperinfer.dht.Response;
import io.hyperinfer.dht.wire.Message;
import io.hyperinfer.dht.wire.NodeId;
import io.hyperinfer.dht.wire.RequestMessage;
import io.hyperinfer.dht.wire.ResponseMessage;
import io.hyperinfer.encoding.DecodeException;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The request engine (dht-rpc {@code lib/io.js}): decodes datagrams from both sockets, answers bad tokens, matches
 * responses to requests by tid alone (one tid space for every socket), sends requests with retries under the
 * congestion window, and encodes replies and relays. Confined to the loop thread.
 */
final class Io {
  static final int DEFAULT_RETRIES = 3;
  static final long DEFAULT_TIMEOUT_MS = 1000;
  static final long DRAIN_INTERVAL_MS = 750;
  /** Requests in flight (queued ones included); well inside the 65,536 tids so a tid is never reused early. */
  static final int MAX_INFLIGHT = 8192;

  /** What the engine needs from the node. */
  interface Host {
    Timers timers();

    long nowMs();

    byte[] tableId();

    List<HostPort> closestAddresses(byte[] target);

    void onRequest(InboundRequest request, boolean external);

    void onResponse(Response response, boolean external);

    void onTimeout(OutgoingRequest request);

    /** Runs {@code task} on the loop: now when called there. */
    void onLoop(Runnable task);
  }

  final Host host;
  final DhtSocket serverSocket;
  final DhtSocket clientSocket;
  final CongestionWindow congestion;
  private final TokenSecrets secrets;
  private final Map<Integer, OutgoingRequest> inflight = new HashMap<>();
  private final ArrayDeque<OutgoingRequest> pending = new ArrayDeque<>();
  private int nextTid;
  boolean firewalled;
  boolean ephemeral = true;
  boolean destroyed;

  long requestsTotal;
  long responses;
  long timeouts;
  long retries;
  long malformed;
  long invalidTokens;
  long unmatchedResponses;
  long overloaded;
  long sendErrors;

  Io(Host host, DhtSocket serverSocket, DhtSocket clientSocket, boolean firewalled, int maxWindow,
      RandomGenerator random) {
    this.host = host;
    this.serverSocket = serverSocket;
    this.clientSocket = clientSocket;
    this.firewalled = firewalled;
    this.congestion = new CongestionWindow(maxWindow);
    this.secrets = new TokenSecrets(random);
    this.nextTid = random.nextInt(65536);
  }

  /** The socket requests leave from: the client socket while firewalled, else the server socket. */
  DhtSocket defaultSocket() {
    return firewalled ? clientSocket : serverSocket;
  }

  int inflight() {
    return inflight.size();
  }

  /** One datagram from {@code socket}: a request for the host, a response for a request, or a counted drop. */
  void onDatagram(DhtSocket socket, byte[] data, HostPort from) {
    if (data.length < 2 || from.port() < 1) {
      malformed++;
      return;
    }
    Message message;
    try {
      message = Message.decode(data);
    } catch (DecodeException e) {
      malformed++;
      return;
    }
    boolean external = socket != defaultSocket();
    switch (message) {
      case RequestMessage m -> onRequestMessage(socket, m, from, external);
      case ResponseMessage m -> onResponseMessage(m, from, external);
    }
  }

  private void onRequestMessage(DhtSocket socket, RequestMessage m, HostPort from, boolean external) {
    InboundRequest req = new InboundRequest(this, socket, m, peer(from, m.id()), external);
    if (m.token() != null && !secrets.valid(from.host(), m.token())) {
      invalidTokens++;
      sendReply(req, Response.INVALID_TOKEN, null, true, true, from, socket);
      return;
    }
    host.onRequest(req, external);
  }

  private void onResponseMessage(ResponseMessage m, HostPort from, boolean external) {
    OutgoingRequest req = inflight.remove(m.tid());
    if (req == null) {
      unmatchedResponses++;
      return;
    }
    detach(req);
    req.cancelTimer();
    congestion.recv();
    responses++;
    Response res = new Response(m.tid(), peer(from, m.id()), m.to(), m.token(), m.closerNodes(), m.error(), m.value(),
        host.nowMs() - req.createdMs);
    host.onResponse(res, external);
    req.callbacks.onResponse(res, req);
  }

  private static Peer peer(HostPort from, byte[] claimedId) {
    byte[] id = claimedId != null && NodeId.matches(claimedId, from) ? claimedId : null;
    return new Peer(from.host(), from.port(), id);
  }

  /** A new request, not yet sent; null when the node is destroyed; throws OVERLOADED at the in-flight cap. */
  OutgoingRequest create(Peer to, byte[] token, boolean internal, long command, byte[] target, byte[] value,
      SessionImpl session) {
    if (destroyed) {
      return null;
    }
    if (inflight.size() >= MAX_INFLIGHT) {
      overloaded++;
      throw DhtException.overloaded(inflight.size());
    }
    while (inflight.containsKey(nextTid)) {
      nextTid = (nextTid + 1) & 0xffff;
    }
    int tid = nextTid;
    nextTid = (nextTid + 1) & 0xffff;
    OutgoingRequest req = new OutgoingRequest(this, tid, to, token, internal, command, target, value, host.nowMs());
    req.socket = defaultSocket();
    inflight.put(tid, req);
    if (session != null) {
      session.attach(req);
    }
    requestsTotal++;
    return req;
  }

  /** Removes a destroyed request from every list; false if it had already settled. */
  boolean forget(OutgoingRequest req) {
    if (req.queued) {
      pending.remove(req);
      req.queued = false;
    }
    detach(req);
    if (inflight.get(req.tid) != req) {
      return false;
    }
    inflight.remove(req.tid);
    congestion.recv();
    return true;
  }

  private static void detach(OutgoingRequest req) {
    if (req.session != null) {
      req.session.detach(req);
    }
  }

  void enqueue(OutgoingRequest req) {
    if (!req.queued) {
      req.queued = true;
      pending.add(req);
    }
  }

  /** Every 750 ms: rotate secrets (every tenth call), open a new congestion slot, send what waited. */
  void drain() {
    secrets.drain();
    congestion.drain();
    while (!congestion.isFull()) {
      OutgoingRequest p = pending.poll();
      if (p == null) {
        return;
      }
      p.queued = false;
      p.sendNow();
    }
  }

  /** The id a message from {@code socket} carries: the table id, only when persistent and on the server socket. */
  byte[] senderId(DhtSocket socket) {
    return !ephemeral && socket == serverSocket ? host.tableId() : null;
  }

  void sendReply(InboundRequest req, long error, byte[] value, boolean withToken, boolean withCloser, HostPort to,
      DhtSocket socket) {
    if (destroyed) {
      return;
    }
    List<HostPort> closer = req.target() != null && withCloser ? host.closestAddresses(req.target()) : List.of();
    byte[] token = withToken ? secrets.token(to.host()) : null;
    ResponseMessage m = new ResponseMessage(req.tid(), to, senderId(socket), token, closer, error, value);
    transmit(socket, m.encode(), to);
  }

  void relay(InboundRequest req, byte[] value, HostPort to, DhtSocket socket) {
    if (destroyed) {
      return;
    }
    transmit(socket, req.message().relayed(to, senderId(socket), value).encode(), to);
  }

  void transmit(DhtSocket socket, byte[] datagram, HostPort to) {
    if (to.port() == 0) {
      sendErrors++;
      return;
    }
    try {
      socket.send(datagram, to);
    } catch (RuntimeException e) {
      sendErrors++;
    }
  }

  /** Fails every request in flight with {@code error} and stops sending. */
  void destroyAll(DhtException error) {
    destroyed = true;
    for (OutgoingRequest req : new ArrayList<>(inflight.values())) {
      req.destroy(error);
    }
    pending.clear();
  }
}
