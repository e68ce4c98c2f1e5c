package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.DhtSocket;
import io.hyperinfer.dht.RequestOptions;
import io.hyperinfer.dht.Response;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.udx.UdxSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The facade on real UDX sockets on 127.0.0.1: the testnet helper, off-loop completions, extra (puncher) sockets. */
@Timeout(60)
class HyperDhtUdxIT {
  private static final long WAIT = 30;

  @Test
  void shouldAnnounceAndLookUpWhenTheTestnetRunsOnLoopback() throws Exception {
    try (Testnet net = Testnet.create(4)) {
      HyperDht client = net.createNode();
      KeyPair keys = HyperDhtCrypto.keyPair();
      byte[] topic = HyperDhtCrypto.hash(new byte[] {1});
      assertTrue(client.node().ephemeral(), "createNode makes a client");
      net.nodes().subList(0, 4).forEach(n -> assertTrue(n.node().id() != null, n + " has an id"));

      client.announce(topic, keys, List.of()).finished().get(WAIT, TimeUnit.SECONDS);
      boolean[] onLoop = {true};
      long found = client.lookup(topic).finished().thenApply(r -> {
        onLoop[0] = client.node().inLoop();
        return r.replies().stream().filter(l -> !l.peers().isEmpty()).count();
      }).get(WAIT, TimeUnit.SECONDS);

      assertEquals(4, found);
      assertFalse(onLoop[0], "callers' stages never run on the node loop");
      assertEquals("127.0.0.1", client.localAddress().host());
    }
  }

  @Test
  void shouldCloseAServerAndItsNodeWithoutThrowingWhenTheirSocketsClosedUnderThem() throws Exception {
    try (Testnet net = Testnet.create(2)) {
      HyperDht node = net.createNode();
      HyperDhtServer server = node.createServer(ServerOptions.DEFAULT, connection -> connection.destroy());
      server.listen(HyperDhtCrypto.keyPair()).get(WAIT, TimeUnit.SECONDS);

      node.udx().orElseThrow().close(); // as a killed process's sockets go

      server.closeAsync().get(WAIT, TimeUnit.SECONDS); // threw the loop's 'socket closed' at its caller before
      node.close();
      assertTrue(node.node().destroyed());
    }
  }

  @Test
  void shouldMatchRepliesAndPassProbesWhenAnExtraSocketIsAttached() throws Exception {
    try (Testnet net = Testnet.create(2)) {
      HyperDht client = net.createNode();
      UdxSocket puncher = client.udx().orElseThrow().createSocket()
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      CompletableFuture<HostPort> probe = new CompletableFuture<>();
      DhtSocket extra = client.attachSocket(puncher, probe::complete);

      Response pong = client.node().ping(net.bootstrapper().localAddress(), RequestOptions.DEFAULT.withSocket(extra))
          .get(WAIT, TimeUnit.SECONDS);
      assertEquals(extra.localAddress(), pong.to(), "the ping left from the extra socket and its reply came back");

      UdxSocket other = client.udx().orElseThrow().createSocket()
          .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      other.send(new byte[] {0}, new InetSocketAddress(InetAddress.getLoopbackAddress(), extra.localAddress().port()));
      assertEquals(other.localAddress().getPort(), probe.get(WAIT, TimeUnit.SECONDS).port());
      other.close();
      puncher.close();
    }
  }
}
