package io.hyperinfer.hyperdht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.VirtualNatNet.Kind;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The puncher's strategies against virtual NATs on virtual time (the notes' D3-7). */
class HolepuncherTest {
  private static final String CLIENT_HOST = "1.1.1.1";
  private static final String SERVER_HOST = "2.2.2.2";

  /** Both punchers of one connect, sampled, each told the other's view (what the rounds carry). */
  private record Pair(VirtualNatNet net, VirtualNatNet.Side clientSide, VirtualNatNet.Side serverSide,
      Holepuncher client, Holepuncher server, AtomicReference<HostPort> connectedTo, AtomicInteger aborts) {}

  private static Pair pair(long seed, Kind clientKind, Kind serverKind, int birthdayCap) {
    VirtualNatNet net = new VirtualNatNet(seed, 10);
    VirtualNatNet.Side c = net.side(CLIENT_HOST, clientKind);
    VirtualNatNet.Side s = net.side(SERVER_HOST, serverKind);
    Holepuncher client = new Holepuncher(c, true, Firewall.UNKNOWN, birthdayCap);
    Holepuncher server = new Holepuncher(s, false, Firewall.UNKNOWN, birthdayCap);
    AtomicReference<HostPort> connected = new AtomicReference<>();
    AtomicInteger aborts = new AtomicInteger();
    client.onConnect((socket, from) -> connected.set(from));
    client.onAbort(aborts::incrementAndGet);
    server.onAbort(aborts::incrementAndGet);
    CompletableFuture<Boolean> a = client.analyze(false);
    CompletableFuture<Boolean> b = server.analyze(false);
    net.runFor(1_000);
    assertTrue(a.isDone() && b.isDone(), "both samplers reached a verdict");
    return new Pair(net, c, s, client, server, connected, aborts);
  }

  /** Tells each side the other's view, the server's address verified by its echoed token, then both punch. */
  private static void exchangeAndPunch(Pair p) {
    p.client.updateRemote(true, p.server.firewall(), p.server.addresses(), SERVER_HOST);
    p.server.updateRemote(true, p.client.firewall(), p.client.addresses(), CLIENT_HOST);
    assertTrue(p.server.punch(), "the server has a strategy");
    assertTrue(p.client.punch(), "the client has a strategy");
  }

  @Test
  void shouldReachAVerdictWhenTheTableHasOnlyThreeNodes() {
    VirtualNatNet small = new VirtualNatNet(4, 3);
    VirtualNatNet.Side side = small.side(CLIENT_HOST, Kind.CONSISTENT);
    Holepuncher puncher = new Holepuncher(side, true, Firewall.UNKNOWN, 8);
    CompletableFuture<Boolean> stable = puncher.analyze(false);

    small.runFor(1_000);

    assertTrue(stable.join(), "three nodes that agree are enough");
    assertEquals(Firewall.CONSISTENT, puncher.firewall());
  }

  @Test
  void shouldClassifyEachSideFromItsSamples() {
    Pair p = pair(1, Kind.CONSISTENT, Kind.RANDOM, 8);
    assertEquals(Firewall.CONSISTENT, p.client.firewall());
    assertEquals(Firewall.RANDOM, p.server.firewall());
    assertEquals(new HostPort(SERVER_HOST, 0), p.server.addresses().get(0));
  }

  @Test
  void shouldConnectTheInitiatorWhenBothNatsAreConsistent() {
    Pair p = pair(2, Kind.CONSISTENT, Kind.CONSISTENT, 8);
    exchangeAndPunch(p);

    p.net.runFor(3_000);

    assertEquals(p.server.addresses().get(0), p.connectedTo.get(), "connected to the server's public mapping");
    assertEquals(1, p.clientSide.stats.consistent.get());
    assertEquals(1, p.serverSide.stats.consistent.get());
    assertEquals(1, p.clientSide.stats.punched.get());
    assertEquals(0, p.aborts.get(), "neither side gave up");
  }

  @Test
  void shouldConnectWhenTheServerSprayProbesFindTheClientsBirthdaySockets() {
    Pair p = pair(3, Kind.RANDOM, Kind.CONSISTENT, 256);
    exchangeAndPunch(p);
    assertEquals(256, p.client.sockets(), "the random side opened every birthday socket, and no more");
    assertEquals(1, p.clientSide.throttle.running(), "the random punch holds the node's slot");

    for (int ms = 0; ms < 40_000 && p.connectedTo.get() == null; ms += 20) {
      p.net.runFor(20);
    }

    assertNotNull(p.connectedTo.get(), "one of 256 mappings was hit within 1,750 probes");
    assertEquals(0, p.clientSide.throttle.running(), "the slot is free again");
    assertFalse(p.clientSide.throttle.allowed(p.net.now()), "but the next random punch waits 20 s");
    assertEquals(1, p.clientSide.open.size(), "only the winning socket stays open");
  }

  @Test
  void shouldNeverOpenMoreBirthdaySocketsThanTheCap() {
    Pair p = pair(4, Kind.RANDOM, Kind.CONSISTENT, 16);
    exchangeAndPunch(p);

    assertEquals(16, p.client.sockets());
    assertTrue(p.clientSide.stats.socketsOpened.get() <= 16 + 1, "the sampled socket plus the birthday ones");
    p.net.runFor(60_000);
    assertTrue(p.clientSide.open.size() <= 1, "every socket but a winner released: " + p.clientSide.open.size());
  }

  @Test
  void shouldRefuseARandomPunchWithoutAVerifiedAddress() {
    Pair p = pair(5, Kind.CONSISTENT, Kind.RANDOM, 8);
    p.client.updateRemote(true, p.server.firewall(), p.server.addresses(), null);

    assertFalse(p.client.punch());
    assertFalse(p.client.punch(), "asked again, the same answer");
  }

  @Test
  void shouldRefuseToPunchAndOpenNoSocketWhenBothNatsAreRandomEvenWithAVerifiedAddress() {
    Pair p = pair(8, Kind.RANDOM, Kind.RANDOM, 8);
    p.client.updateRemote(true, p.server.firewall(), p.server.addresses(), SERVER_HOST);
    long opened = p.clientSide.stats.socketsOpened.get();

    assertFalse(p.client.punch(), "two randomising NATs have no strategy");
    p.net.runFor(10_000);

    assertEquals(opened, p.clientSide.stats.socketsOpened.get(), "no birthday socket was opened");
    assertNull(p.connectedTo().get(), "nothing connected");
  }

  @Test
  void shouldRerollAnUnstableSocketThreeTimesWhenBothSidesAreRandom() {
    Pair p = pair(6, Kind.RANDOM, Kind.RANDOM, 8);
    p.client.updateRemote(false, Firewall.RANDOM, p.server.addresses(), null);
    long opened = p.clientSide.stats.socketsOpened.get();

    CompletableFuture<Boolean> stable = p.client.analyze(true);
    p.net.runFor(5_000);

    assertFalse(stable.join(), "still random after every re-roll");
    assertEquals(opened + Holepuncher.MAX_REOPENS, p.clientSide.stats.socketsOpened.get());
    assertEquals(1, p.clientSide.open.size(), "each re-roll released the socket it replaced");
  }

  @Test
  void shouldGiveUpAfterTenRoundsWhenTheRemoteNeverAnswers() {
    Pair p = pair(7, Kind.CONSISTENT, Kind.CONSISTENT, 8);
    p.serverSide.dropEverything = true;
    p.client.updateRemote(true, p.server.firewall(), p.server.addresses(), SERVER_HOST);
    assertTrue(p.client.punch());

    p.net.runFor(9_000);
    assertFalse(p.client.destroyed(), "still punching after 9 s");
    p.net.runFor(2_000);

    assertTrue(p.client.destroyed());
    assertNull(p.connectedTo.get());
    assertEquals(1, p.aborts.get(), "the abort listener ran once");
    assertTrue(p.clientSide.open.isEmpty(), "the socket was released");
  }

  @Test
  void shouldRefuseACapBelowOneSocket() {
    VirtualNatNet net = new VirtualNatNet(9, 4);
    assertThrows(IllegalArgumentException.class,
        () -> new Holepuncher(net.side(CLIENT_HOST, Kind.CONSISTENT), true, Firewall.UNKNOWN, 0));
  }

  @Test
  void shouldEchoProbesAsResponderAndNotConnect() {
    Pair p = pair(8, Kind.CONSISTENT, Kind.CONSISTENT, 8);
    p.server.openSession(p.client.addresses().get(0));
    VirtualNatNet.Socket serverSocket = (VirtualNatNet.Socket) p.server.socket();
    int sent = serverSocket.probesSent;

    p.client.ping(p.server.addresses().get(0));
    p.net.runFor(100);

    assertEquals(sent + 1, serverSocket.probesSent, "the server echoed the client's probe");
    assertEquals(p.server.addresses().get(0), p.connectedTo.get(), "and the echo connected the client");
    assertFalse(p.server.connected(), "a responder never connects on a probe");
  }

  @Test
  void shouldOpenItsFreshSocketOutsideItsLockWhenAReopenStartsAfterTheVerdict() throws Exception {
    VirtualNatNet net = new VirtualNatNet(7, 10);
    LoopTakingHost host = new LoopTakingHost(net.side(CLIENT_HOST, Kind.RANDOM));
    Holepuncher puncher = new Holepuncher(host, true, Firewall.RANDOM, 8);
    host.puncher = puncher;
    CompletableFuture<Boolean> first = puncher.analyze(false);
    net.runFor(1_000);
    assertFalse(first.join(), "two randomising NATs: unstable");
    int before = host.opened.get();

    puncher.analyze(true); // the verdict is in: the reopen starts on this thread, as on a connect's own thread

    assertEquals(before + 1, host.opened.get(), "a fresh socket was opened");
    assertEquals(0, host.blockedLoops.get(), "the loop could take the puncher's lock while the socket opened");
  }

  @Test
  void shouldRunTheAbortListenerOutsideItsLockWhenItsRoundsRunOut() {
    Pair p = pair(8, Kind.CONSISTENT, Kind.CONSISTENT, 8);
    p.server.destroy(); // nothing answers the client's probes
    AtomicInteger lockedOut = new AtomicInteger();
    AtomicInteger abortsSeen = new AtomicInteger();
    // as a connect whose own lock is held by a thread asking the puncher something: the listener must not hold the
    // puncher's lock meanwhile
    p.client.onAbort(() -> {
      abortsSeen.incrementAndGet();
      try {
        CompletableFuture.runAsync(p.client::destroyed).get(2, java.util.concurrent.TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        lockedOut.incrementAndGet();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    p.client.updateRemote(true, p.server.firewall(), p.server.addresses(), SERVER_HOST);
    assertTrue(p.client.punch(), "the client has a strategy");

    p.net.runFor(60_000);

    assertEquals(1, abortsSeen.get(), "the punch ran out and ended");
    assertEquals(0, lockedOut.get(), "another thread could ask the puncher while its abort listener ran");
  }

  /**
   * A host whose socket opening waits for "the loop" to take the puncher's lock, as a real bind waits for the UDX
   * loop thread, which takes that lock for every ping answer: opening under the lock would deadlock there.
   */
  private static final class LoopTakingHost implements PunchHost {
    private final PunchHost side;
    final AtomicInteger opened = new AtomicInteger();
    final AtomicInteger blockedLoops = new AtomicInteger();
    volatile Holepuncher puncher;

    LoopTakingHost(PunchHost side) {
      this.side = side;
    }

    @Override
    public PunchSocket acquire(PunchSocket.ProbeListener listener) {
      Holepuncher p = puncher;
      if (p != null) {
        try {
          CompletableFuture.runAsync(() -> {
            synchronized (p) {
              opened.get(); // the loop's ping answer under the puncher's lock
            }
          }).get(2, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
          blockedLoops.incrementAndGet();
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
      opened.incrementAndGet();
      return side.acquire(listener);
    }

    @Override
    public long nowMs() {
      return side.nowMs();
    }

    @Override
    public void schedule(long delayMs, Runnable task) {
      side.schedule(delayMs, task);
    }

    @Override
    public CompletableFuture<HostPort[]> ping(HostPort node, PunchSocket socket) {
      return side.ping(node, socket);
    }

    @Override
    public java.util.List<HostPort> tableNodes() {
      return side.tableNodes();
    }

    @Override
    public boolean firewalled() {
      return side.firewalled();
    }

    @Override
    public RandomPunches randomPunches() {
      return side.randomPunches();
    }

    @Override
    public java.util.random.RandomGenerator random() {
      return side.random();
    }

    @Override
    public PunchStats stats() {
      return side.stats();
    }
  }
}
