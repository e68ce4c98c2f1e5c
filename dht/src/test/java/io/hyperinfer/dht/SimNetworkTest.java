package io.hyperinfer.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.dht.sim.SimNetwork;
import io.hyperinfer.dht.sim.SimRuntime;
import io.hyperinfer.dht.sim.SimTestnet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The simulated network itself: configuration, loss, ownership, addresses, cross-thread tasks. */
class SimNetworkTest {
  @Test
  void shouldRejectBadConfiguration() {
    SimNetwork net = new SimNetwork(1);
    assertThrows(IllegalArgumentException.class, () -> net.latency(-1, 5));
    assertThrows(IllegalArgumentException.class, () -> net.latency(5, 4));
    assertThrows(IllegalArgumentException.class, () -> net.loss(1));
    assertThrows(IllegalArgumentException.class, () -> net.loss(-0.1));
  }

  @Test
  void shouldLoseDatagramsAtTheGivenRateAndStillAnswerThroughRetries() {
    SimNetwork net = new SimNetwork(2).loss(0.3);
    SimTestnet t = SimTestnet.create(net, 10);
    int ok = 0;
    for (int i = 0; i < 20; i++) {
      CompletableFuture<Response> f = t.nodes().get(3).ping(t.nodes().get(5).localAddress());
      net.runFor(f::isDone, 10_000);
      ok += f.isCompletedExceptionally() ? 0 : 1;
    }
    assertTrue(ok >= 18, "four sends beat 30% loss: " + ok);
    double rate = (double) net.dropped() / (net.dropped() + net.delivered());
    assertTrue(rate > 0.2 && rate < 0.4, "loss rate " + rate);
  }

  @Test
  void shouldFailAwaitWhenNotDoneInTime() {
    SimNetwork net = new SimNetwork(3);
    assertThrows(AssertionError.class, () -> net.await(new CompletableFuture<>(), 1000));
    assertEquals(1000, net.nowMs());
  }

  @Test
  void shouldRunOnlyOnItsOwnThreadButTakeTasksFromOthers() throws Exception {
    SimNetwork net = new SimNetwork(4);
    SimTestnet t = SimTestnet.create(net, 3);
    CompletableFuture<Throwable> foreign = CompletableFuture.supplyAsync(() -> {
      try {
        net.runFor(10);
        return null;
      } catch (IllegalStateException e) {
        return e;
      }
    });
    assertTrue(foreign.get() instanceof IllegalStateException);
    CompletableFuture<CompletableFuture<Response>> fromOther = CompletableFuture.supplyAsync(
        () -> t.nodes().get(1).ping(t.nodes().get(2).localAddress()));
    CompletableFuture<Response> ping = fromOther.get();
    assertEquals(t.nodes().get(1).localAddress(), net.await(ping, 5000).to());
  }

  @Test
  void shouldRefuseTakenAddressesAndSkipTakenClientPorts() {
    SimNetwork net = new SimNetwork(5);
    SimRuntime a = net.runtime("10.9.0.1", 1000);
    assertEquals(1001, a.clientSocket().localAddress().port());
    SimRuntime b = net.runtime("10.9.0.1", 999);
    assertEquals(1002, b.clientSocket().localAddress().port(), "1000 and 1001 are taken");
    assertThrows(IllegalStateException.class, () -> net.runtime("10.9.0.1", 1000));
    assertEquals("SimRuntime[HostPort[host=10.9.0.1, port=1000]]", a.toString());
    assertEquals("sim:HostPort[host=10.9.0.1, port=1001]", a.clientSocket().toString());
    assertEquals(net, a.network());
    long delivered = net.delivered();
    a.execute(() -> a.serverSocket().send(new byte[] {1, 2}, b.serverSocket().localAddress()));
    net.runFor(100);
    assertEquals(delivered + 1, net.delivered(), "a task handed to execute runs on the next step");
    a.kill();
    a.kill();
    a.serverSocket().send(new byte[] {1, 2}, b.serverSocket().localAddress());
    net.runFor(100);
    assertEquals(delivered + 1, net.delivered(), "a killed node sends nothing");
    SimRuntime again = net.runtime("10.9.0.1", 1000);
    assertEquals(1001, again.clientSocket().localAddress().port(), "a killed node's addresses are free again");
  }
}
