package io.hyperinfer.dht;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimRuntime;
import io.hyperinfer.dht.wire.Message;
import io.hyperinfer.dht.wire.RequestMessage;
import io.hyperinfer.dht.wire.ResponseMessage;
import io.hyperinfer.encoding.HostPort;
import java.util.ArrayList;
import java.util.List;

/** A hand-driven endpoint on a simulated network: sends crafted datagrams, records what arrives on its sockets. */
final class RawPeer {
  record Received(DhtSocket socket, Message message, HostPort from, long atMs) {}

  final SimRuntime runtime;
  final List<Received> received = new ArrayList<>();
  private final SimNetwork network;
  private int tid = 100;

  RawPeer(SimNetwork network) {
    this.network = network;
    this.runtime = network.runtime();
    runtime.start((socket, data, from) -> received.add(new Received(socket, Message.decode(data), from,
        network.nowMs())));
  }

  HostPort server() {
    return runtime.serverSocket().localAddress();
  }

  HostPort client() {
    return runtime.clientSocket().localAddress();
  }

  /** Sends a request from the server socket; returns its tid. */
  int request(HostPort to, boolean internal, long command, byte[] target, byte[] value, byte[] token) {
    int t = tid++;
    runtime.serverSocket().send(new RequestMessage(t, to, null, token, internal, command, target, value).encode(), to);
    return t;
  }

  void sendRaw(byte[] datagram, HostPort to) {
    runtime.serverSocket().send(datagram, to);
  }

  /** Runs the network a little and returns the responses that arrived for {@code tid}. */
  List<Received> responsesTo(int forTid, long waitMs) {
    network.runFor(waitMs);
    return received.stream().filter(r -> r.message() instanceof ResponseMessage m && m.tid() == forTid).toList();
  }

  ResponseMessage onlyResponse(int forTid) {
    List<Received> r = responsesTo(forTid, 200);
    if (r.size() != 1) {
      throw new AssertionError("expected one response to " + forTid + ", got " + r);
    }
    return (ResponseMessage) r.getFirst().message();
  }

  List<RequestMessage> requests() {
    List<RequestMessage> out = new ArrayList<>();
    for (Received r : received) {
      if (r.message() instanceof RequestMessage m) {
        out.add(m);
      }
    }
    return out;
  }
}
