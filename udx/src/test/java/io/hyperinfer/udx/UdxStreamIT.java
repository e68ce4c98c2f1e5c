package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class UdxStreamIT {
  private final Udx udx = Udx.create();
  private final UdxSocket socketA = udx.createSocket().bind();
  private final UdxSocket socketB = udx.createSocket().bind();

  @AfterEach
  void close() {
    udx.close();
  }

  private UdxStream[] pair() {
    UdxStream a = udx.createStream();
    UdxStream b = udx.createStream();
    a.connect(socketA, b.id(), socketB.localAddress());
    b.connect(socketB, a.id(), socketA.localAddress());
    return new UdxStream[] {a, b};
  }

  static byte[] readAll(UdxStream s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] chunk; (chunk = s.read()) != null; ) {
      out.writeBytes(chunk);
    }
    return out.toByteArray();
  }

  @Test
  void shouldTransferBytesBothWaysWhenConnectedOverLoopback() throws Exception {
    SplittableRandom random = Seeds.random("UdxStreamIT.bulk");
    UdxStream[] s = pair();
    byte[] ab = Seeds.bytes(random, 1 << 20);
    byte[] ba = Seeds.bytes(random, 300_000);
    CompletableFuture<byte[]> atB = CompletableFuture.supplyAsync(() -> readAll(s[1]), Thread::startVirtualThread);
    CompletableFuture<byte[]> atA = CompletableFuture.supplyAsync(() -> readAll(s[0]), Thread::startVirtualThread);
    Thread.startVirtualThread(() -> { s[0].write(ab); s[0].end(); });
    s[1].write(ba);
    s[1].end();
    assertArrayEquals(ab, atB.get(20, TimeUnit.SECONDS));
    assertArrayEquals(ba, atA.get(20, TimeUnit.SECONDS));
    assertNull(s[0].closed().get(5, TimeUnit.SECONDS));
    assertNull(s[1].closed().get(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldResetPeerWhenDestroyed() throws Exception {
    UdxStream[] s = pair();
    s[0].write(new byte[] {1});
    assertArrayEquals(new byte[] {1}, s[1].read());
    s[0].destroy();
    UdxException e = assertThrows(UdxException.class, s[1]::read);
    assertEquals(UdxException.Code.ECONNRESET, e.code());
    assertThrows(UdxException.class, () -> s[0].write(new byte[1]));
    CompletionException closed = assertThrows(CompletionException.class, () -> s[1].closed().join());
    assertEquals(UdxException.Code.ECONNRESET, ((UdxException) closed.getCause()).code());
  }

  @Test
  void shouldDeliverMessagesWhenSent() throws Exception {
    UdxStream[] s = pair();
    LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    s[1].onMessage((stream, m) -> got.add(m));
    s[0].send(new byte[] {4, 5, 6});
    assertArrayEquals(new byte[] {4, 5, 6}, got.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldAcceptFirstPacketWhenFirewallConnectsToSender() throws Exception {
    UdxStream server = udx.createStream();
    UdxStream client = udx.createStream();
    server.firewall((stream, socket, from) -> {
      stream.connect(socket, client.id(), from);
      return true;
    });
    client.connect(socketA, server.id(), socketB.localAddress());
    client.write("hello".getBytes());
    assertArrayEquals("hello".getBytes(), server.read());
    assertEquals(socketA.localAddress(), server.remoteAddress());
    server.write("back".getBytes());
    assertArrayEquals("back".getBytes(), client.read());
  }

  @Test
  void shouldProcessPacketsRefusedBeforeConnectWhenConnectedToTheirSender() throws Exception {
    UdxSocket socketC = udx.createSocket().bind();
    UdxStream server = udx.createStream();
    UdxStream client = udx.createStream();
    CompletableFuture<InetSocketAddress> refused = new CompletableFuture<>();
    server.firewall((stream, socket, from) -> {
      refused.complete(from);
      return false; // not yet known whom to accept, as a connect that has not read the handshake reply
    });
    client.connect(socketC, server.id(), socketB.localAddress());
    client.write("early".getBytes());
    InetSocketAddress from = refused.get(5, TimeUnit.SECONDS);
    socketC.close(); // the client can never retransmit: only the refused packet itself can bring the bytes
    server.connect(socketB, client.id(), from);
    assertArrayEquals("early".getBytes(), server.read());
  }

  @Test
  void shouldResetTheStreamWhenThePeersDestroyCameBetweenConnectAndAttach() throws Exception {
    UdxStream stream = udx.createStream();
    byte[] destroy = io.hyperinfer.udx.wire.UdxPacket.of(io.hyperinfer.udx.wire.PacketType.DESTROY, stream.id(),
        1 << 20, 0, 0, new byte[0]).encode();
    CompletableFuture<Void> delivered = new CompletableFuture<>();
    socketB.loop().execute(() -> {
      // connect on the loop (as a connect that learns its peer there does): the attach runs after this task,
      // so the DESTROY below meets the stream connected but not attached, as one arriving in that window would
      stream.connect(socketB, 4242, socketA.localAddress());
      stream.firstPacket(socketB, destroy, socketA.localAddress());
      delivered.complete(null);
    });
    delivered.get(5, TimeUnit.SECONDS);
    CompletionException closed = assertThrows(CompletionException.class,
        () -> stream.closed().orTimeout(5, TimeUnit.SECONDS).join());
    assertEquals(UdxException.Code.ECONNRESET, ((UdxException) closed.getCause()).code());
  }

  @Test
  void shouldPassNonUdxDatagramsToHandler() throws Exception {
    LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    socketB.onNonUdxPacket((socket, data, from) -> got.add(data));
    socketA.send(new byte[] {0x13, 0x37}, socketB.localAddress());
    assertArrayEquals(new byte[] {0x13, 0x37}, got.poll(5, TimeUnit.SECONDS));
    byte[] unknown = io.hyperinfer.udx.wire.UdxPacket.of(1, 12345, 0, 0, 0, new byte[] {1}).encode();
    socketA.send(unknown, socketB.localAddress());
    assertArrayEquals(unknown, got.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void shouldCompleteByteExactWhenRelayLosesPackets() throws Exception {
    for (double loss : new double[] {0.05, 0.10, 0.20}) {
      SplittableRandom random = Seeds.random("UdxStreamIT.lossy-" + loss);
      try (LossyRelay relay = new LossyRelay(random.split(), loss, 0.05, 0.02)) {
        relay.peers(socketA.localAddress(), socketB.localAddress());
        UdxStream a = udx.createStream();
        UdxStream b = udx.createStream();
        a.connect(socketA, b.id(), relay.addressForA());
        b.connect(socketB, a.id(), relay.addressForB());
        byte[] payload = Seeds.bytes(random, 1 << 20);
        CompletableFuture<byte[]> atB = CompletableFuture.supplyAsync(() -> readAll(b), Thread::startVirtualThread);
        a.write(payload);
        a.end();
        assertArrayEquals(payload, atB.get(25, TimeUnit.SECONDS), "loss " + loss + " " + a.stats());
        b.end();
        assertNull(a.closed().get(10, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void shouldMoveToNewPathWhenRemoteChanged() throws Exception {
    UdxStream[] s = pair();
    UdxSocket socketC = udx.createSocket().bind();
    s[0].write(new byte[] {1});
    assertArrayEquals(new byte[] {1}, s[1].read());
    // b moves to socket C; a accepts packets from C because its firewall allows the new path
    s[0].firewall((stream, socket, from) -> true);
    s[1].changeRemote(socketC, s[0].id(), socketA.localAddress()).get(5, TimeUnit.SECONDS);
    s[0].changeRemote(socketA, s[1].id(), socketC.localAddress()).get(5, TimeUnit.SECONDS);
    s[1].write(new byte[] {2});
    assertArrayEquals(new byte[] {2}, s[0].read());
    s[0].write(new byte[] {3});
    assertArrayEquals(new byte[] {3}, s[1].read());
  }

  @Test
  void shouldRelayPacketsWhenRelayToSet() throws Exception {
    // a <-> relayA (on B) ... relayB (on B) <-> c: the middle streams forward blindly
    UdxStream a = udx.createStream();
    UdxStream c = udx.createStream();
    UdxStream relayA = udx.createStream();
    UdxStream relayC = udx.createStream();
    UdxSocket socketC = udx.createSocket().bind();
    a.connect(socketA, relayA.id(), socketB.localAddress());
    relayA.connect(socketB, a.id(), socketA.localAddress());
    relayC.connect(socketB, c.id(), socketC.localAddress());
    c.connect(socketC, relayC.id(), socketB.localAddress());
    relayA.relayTo(relayC);
    relayC.relayTo(relayA);
    // a and c only know the relay streams' ids; the relay rewrites the id to the far side's remote id
    a.write("via relay".getBytes());
    assertArrayEquals("via relay".getBytes(), c.read());
    c.write("and back".getBytes());
    assertArrayEquals("and back".getBytes(), a.read());
  }

  @Test
  void shouldTimeOutWhenPeerVanishes() throws Exception {
    UdxStream a = udx.createStream().idleTimeout(java.time.Duration.ofMillis(200));
    a.connect(socketA, 99, new InetSocketAddress("127.0.0.1", socketB.localAddress().getPort()));
    CompletionException e = assertThrows(CompletionException.class, () -> a.closed().join());
    assertEquals(UdxException.Code.ETIMEDOUT, ((UdxException) e.getCause()).code());
    assertThrows(UdxException.class, a::read);
  }

  @Test
  void shouldRejectDuplicateIdAndUnboundUse() {
    UdxStream a = udx.createStream();
    assertThrows(UdxException.class, () -> udx.createStream(a.id()));
    assertThrows(UdxException.class, () -> udx.createSocket().localAddress());
    assertThrows(UdxException.class, () -> a.send(new byte[1]));
    assertTrue(udx.badPackets() >= 0);
  }

  @Test
  void shouldKeepLoopRunningWhenHandlerThrows() throws Exception {
    LinkedBlockingQueue<byte[]> got = new LinkedBlockingQueue<>();
    socketB.onNonUdxPacket((socket, data, from) -> {
      if (data[0] == 1) {
        throw new IllegalStateException("handler bug");
      }
      got.add(data);
    });
    socketB.execute(() -> {
      throw new IllegalStateException("task bug");
    });
    socketA.send(new byte[] {1}, socketB.localAddress());
    socketA.send(new byte[] {2}, socketB.localAddress());
    assertArrayEquals(new byte[] {2}, got.poll(5, TimeUnit.SECONDS));
    CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
    socketB.schedule(java.time.Duration.ofMillis(1), () -> inLoop.complete(socketB.inLoop()));
    assertTrue(inLoop.get(5, TimeUnit.SECONDS));
    assertTrue(udx.loopErrors() >= 1);
  }

  @Test
  void shouldThrowInterruptedWhenBlockedReaderIsInterrupted() throws Exception {
    UdxStream[] s = pair();
    CompletableFuture<UdxException> failure = new CompletableFuture<>();
    Thread reader = Thread.startVirtualThread(() -> {
      try {
        s[1].read();
      } catch (UdxException e) {
        failure.complete(e);
      }
    });
    org.awaitility.Awaitility.await().until(() -> reader.getState() == Thread.State.WAITING);
    reader.interrupt();
    assertEquals(UdxException.Code.INTERRUPTED, failure.get(5, TimeUnit.SECONDS).code());
  }
}
