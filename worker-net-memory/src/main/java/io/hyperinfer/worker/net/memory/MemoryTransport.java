package io.hyperinfer.worker.net.memory;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.spi.Transport;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One peer's {@link Transport} on a {@link MemoryNetwork}: every request, response and event is handed over as bytes
 * (an error as its JSON wire form), so peers never share objects, and routed by the network with its injected faults.
 * The remote key it reports is the sender's attached key. Thread-safe.
 */
final class MemoryTransport implements Transport {
  private final MemoryNetwork network;
  private volatile PeerRef self;
  private volatile Inbound inbound;

  MemoryTransport(MemoryNetwork network) {
    this.network = network;
  }

  @Override
  public void open(KeyPair identity, Inbound in) {
    PeerRef me = new PeerRef(identity.publicKey());
    inbound = in;
    network.attach(me, this);
    self = me;
  }

  @Override
  public void request(PeerRef to, String method, byte[] payload, Duration timeout, Reply reply) {
    PeerRef me = self;
    long id = network.nextId();
    byte[] copy = payload.clone();
    network.sendRequest(me, to, id, target -> target.receive(new MemoryExchange(target, me, id, method, copy, reply)),
        () -> reply.onError(NetException.peerUnavailable(to.hex())));
  }

  @Override
  public void event(PeerRef to, String method, byte[] payload) {
    PeerRef me = self;
    byte[] copy = payload.clone();
    network.sendRequest(me, to, network.nextId(), target -> target.receiveEvent(me, method, copy), () -> { });
  }

  @Override
  public void close() {
    PeerRef me = self;
    if (me != null) {
      self = null;
      network.detach(me);
    }
  }

  void receive(Exchange exchange) {
    Inbound in = inbound;
    if (self != null) {
      in.onRequest(exchange);
    }
  }

  void receiveEvent(PeerRef from, String method, byte[] payload) {
    Inbound in = inbound;
    if (self != null) {
      in.onEvent(from, method, payload);
    }
  }

  void peerLost(PeerRef peer) {
    Inbound in = inbound;
    if (self != null && !peer.equals(self)) {
      in.onConnectionLost(peer);
    }
  }

  /** A request that reached {@code server}; what goes back travels on the request's connection, in frame order. */
  private final class MemoryExchange implements Exchange {
    private final MemoryTransport server;
    private final PeerRef caller;
    private final long id;
    private final String method;
    private final byte[] payload;
    private final Reply reply;
    private final AtomicLong frames = new AtomicLong();

    MemoryExchange(MemoryTransport server, PeerRef caller, long id, String method, byte[] payload, Reply reply) {
      this.server = server;
      this.caller = caller;
      this.id = id;
      this.method = method;
      this.payload = payload;
      this.reply = reply;
    }

    @Override
    public PeerRef remote() {
      return caller;
    }

    @Override
    public String method() {
      return method;
    }

    @Override
    public byte[] payload() {
      return payload.clone();
    }

    @Override
    public void respond(byte[] value) {
      byte[] copy = value.clone();
      back(t -> reply.onResponse(copy));
    }

    @Override
    public void fail(NetException error) {
      byte[] wire = Json.toBytes(error.toJson());
      back(t -> reply.onError(NetException.fromJson(Json.parse(wire))));
    }

    @Override
    public void event(String eventMethod, byte[] value) {
      byte[] copy = value.clone();
      PeerRef from = server.self;
      back(t -> t.receiveEvent(from, eventMethod, copy));
    }

    private void back(java.util.function.Consumer<MemoryTransport> deliver) {
      PeerRef from = server.self;
      if (from != null) {
        network.sendReply(from, caller, id, frames.getAndIncrement(), deliver);
      }
    }
  }
}
