package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A caller waiting for its reply leads the loop: it receives the reply itself, and the loop keeps serving the rest. */
@Timeout(60)
class LoopLeaderIT {
  private final Udx udx = Udx.create();

  @AfterEach
  void close() {
    udx.close();
  }

  /** A client stream through {@code a} to a server stream through {@code b} that echoes what it reads. */
  private UdxStream echoClient(UdxSocket a, UdxSocket b) {
    UdxStream client = udx.createStream();
    UdxStream server = udx.createStream();
    client.connect(a, server.id(), b.localAddress());
    server.connect(b, client.id(), a.localAddress());
    server.listener((stream, data) -> stream.write(data));
    return client;
  }

  /** An echo client on the default loop whose server is on a loop of its own. */
  private UdxStream echoClient() {
    return echoClient(udx.createSocket().bind(), udx.createSocket(udx.createLoop()).bind());
  }

  /** Replies as they are delivered, with the thread that delivered each and whether it counted as the loop. */
  private record Delivery(byte[] data, Thread thread, boolean inLoop) {}

  @Test
  void shouldDeliverTheReplyOnTheWaitingThreadWhenItLeadsTheLoop() throws Exception {
    // a leader pins a carrier: with one core nobody leads; the descriptor is found on Linux only
    assumeTrue(SocketPoll.available() && System.getProperty("os.name").contains("Linux")
        && Runtime.getRuntime().availableProcessors() > 1);
    UdxStream client = echoClient();
    AtomicReference<CompletableFuture<Delivery>> next = new AtomicReference<>();
    client.listener((stream, data) -> next.get().complete(
        new Delivery(data, Thread.currentThread(), stream.loop().inLoop())));
    List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    List<Thread> callers = new CopyOnWriteArrayList<>();
    AtomicReference<Boolean> inLoopAfter = new AtomicReference<>();
    Thread.ofVirtual().start(() -> {
      for (int i = 0; i < 50; i++) {
        CompletableFuture<Delivery> reply = new CompletableFuture<>();
        next.set(reply);
        UdxLoop.forgetWrite();
        client.write(new byte[] {(byte) i});
        UdxLoop.leadUntil(reply);
        deliveries.add(reply.join());
      }
      callers.add(Thread.currentThread());
      inLoopAfter.set(client.loop().inLoop());
    }).join();
    assertEquals(50, deliveries.size());
    for (int i = 0; i < 50; i++) {
      assertArrayEquals(new byte[] {(byte) i}, deliveries.get(i).data());
      assertTrue(deliveries.get(i).inLoop(), "a listener runs as the loop's owner, whoever delivers");
    }
    // a reply slower than the lead (a loaded machine) is delivered by the loop thread instead: most are not
    long onCaller = deliveries.stream().filter(d -> d.thread() == callers.get(0)).count();
    assertTrue(onCaller > 0, "no reply was received by the waiting caller");
    assertFalse(inLoopAfter.get(), "the caller stops counting as the loop once it stops leading");
  }

  @Test
  void shouldNotLeadWhenTheThreadSentNothingSinceForgetting() throws Exception {
    UdxStream client = echoClient();
    client.write(new byte[] {1});
    UdxLoop.forgetWrite();
    CompletableFuture<Void> never = new CompletableFuture<>();
    Thread caller = Thread.ofVirtual().start(() -> UdxLoop.leadUntil(never));
    caller.join();
    assertFalse(never.isDone());
    assertArrayEquals(new byte[] {1}, client.read()); // the echo waited for the loop thread, not for a leader
  }

  @Test
  void shouldKeepOtherSocketsServedWhileCallersLeadTheLoop() throws Exception {
    UdxStream led = echoClient();
    UdxStream sc = echoClient(udx.createSocket().bind(), udx.createSocket().bind()); // both on the led loop
    AtomicInteger leads = new AtomicInteger();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    CompletableFuture<Void> leading = new CompletableFuture<>();
    Thread leader = Thread.ofVirtual().start(() -> {
      led.listener((stream, data) -> {}); // replies nobody waits for: the caller leads until the lead times out
      leading.complete(null);
      while (!stop.isDone()) {
        UdxLoop.forgetWrite();
        led.write(new byte[] {7});
        UdxLoop.leadUntil(stop);
        leads.incrementAndGet();
      }
    });
    leading.get(10, TimeUnit.SECONDS); // the echoes below must overlap the leads, not finish before the leader starts
    for (int i = 0; i < 100; i++) {
      sc.write(new byte[] {(byte) i});
      assertArrayEquals(new byte[] {(byte) i}, sc.read());
    }
    stop.complete(null);
    leader.join(TimeUnit.SECONDS.toMillis(10));
    assertTrue(leads.get() > 0);
  }
}
