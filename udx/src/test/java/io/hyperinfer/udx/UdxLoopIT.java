package io.hyperinfer.udx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Seeds;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The loop model: many sockets on one thread, bytes pushed on it, writes from any thread in call order. */
@Timeout(60)
class UdxLoopIT {
  private final Udx udx = Udx.create();

  @AfterEach
  void close() {
    udx.close();
  }

  private UdxStream[] pair(UdxSocket a, UdxSocket b) {
    UdxStream sa = udx.createStream();
    UdxStream sb = udx.createStream();
    sa.connect(a, sb.id(), b.localAddress());
    sb.connect(b, sa.id(), a.localAddress());
    return new UdxStream[] {sa, sb};
  }

  private static Thread threadOf(UdxSocket socket) throws Exception {
    CompletableFuture<Thread> thread = new CompletableFuture<>();
    socket.execute(() -> thread.complete(Thread.currentThread()));
    return thread.get(5, TimeUnit.SECONDS);
  }

  @Test
  void shouldServeEverySocketFromOneThreadWhenSocketsShareTheDefaultLoop() throws Exception {
    List<UdxSocket> sockets = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      sockets.add(udx.createSocket().bind());
    }
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    for (UdxSocket s : sockets) {
      threads.add(threadOf(s));
      assertSame(udx.loop(), s.loop());
    }
    assertEquals(1, threads.size());
    // every pair of neighbours carries a stream through the shared thread
    List<CompletableFuture<byte[]>> reads = new ArrayList<>();
    for (int i = 0; i < sockets.size(); i += 2) {
      UdxStream[] s = pair(sockets.get(i), sockets.get(i + 1));
      s[0].write(new byte[] {(byte) i});
      reads.add(CompletableFuture.supplyAsync(s[1]::read, Thread::startVirtualThread));
    }
    for (int i = 0; i < reads.size(); i++) {
      assertArrayEquals(new byte[] {(byte) (2 * i)}, reads.get(i).get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void shouldCarryStreamAcrossLoopsWhenSocketsAreOnDifferentLoops() throws Exception {
    UdxLoop other = udx.createLoop();
    UdxSocket a = udx.createSocket().bind();
    UdxSocket b = udx.createSocket(other).bind();
    assertFalse(threadOf(a) == threadOf(b));
    UdxStream[] s = pair(a, b);
    byte[] payload = Seeds.bytes(Seeds.random("UdxLoopIT.loops"), 200_000);
    CompletableFuture<byte[]> atB = CompletableFuture.supplyAsync(() -> readAll(s[1]), Thread::startVirtualThread);
    s[0].write(payload);
    s[0].end();
    assertArrayEquals(payload, atB.get(20, TimeUnit.SECONDS));
    assertThrows(UdxException.class, () -> Udx.create().createSocket(other));
  }

  @Test
  void shouldKeepOtherSocketsServedWhenOneSocketCloses() throws Exception {
    UdxSocket a = udx.createSocket().bind();
    UdxSocket b = udx.createSocket().bind();
    UdxSocket c = udx.createSocket().bind();
    UdxStream[] ab = pair(a, b);
    UdxStream[] bc = pair(b, c);
    c.close();
    UdxException e = assertThrows(UdxException.class, bc[1]::read);
    assertEquals(UdxException.Code.SOCKET_CLOSED, e.code());
    ab[0].write(new byte[] {9});
    assertArrayEquals(new byte[] {9}, ab[1].read());
  }

  @Test
  void shouldPushBytesEndAndCloseOnTheLoopThreadWhenListening() throws Exception {
    UdxSocket a = udx.createSocket().bind();
    UdxSocket b = udx.createSocket().bind();
    UdxStream[] s = pair(a, b);
    Thread loop = threadOf(b);
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<UdxException> closed = new CompletableFuture<>();
    s[1].listener(new StreamListener() {
      @Override
      public void onData(UdxStream stream, byte[] data) {
        assertSame(loop, Thread.currentThread());
        got.writeBytes(data);
        stream.write(data); // echo from the loop: never blocks
      }

      @Override
      public void onEnd(UdxStream stream) {
        events.add("end");
        stream.end();
      }

      @Override
      public void onClose(UdxStream stream, UdxException error) {
        events.add("close");
        closed.complete(error);
      }
    });
    assertThrows(UdxException.class, s[1]::read);
    byte[] payload = Seeds.bytes(Seeds.random("UdxLoopIT.push"), 100_000);
    CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> readAll(s[0]),
        Thread::startVirtualThread);
    s[0].write(payload);
    s[0].end();
    assertArrayEquals(payload, echoed.get(20, TimeUnit.SECONDS));
    assertNull(closed.get(10, TimeUnit.SECONDS));
    assertArrayEquals(payload, got.toByteArray());
    assertEquals(List.of("end", "close"), events);
  }

  @Test
  void shouldHoldBytesWhilePausedAndDeliverThemWhenResumed() throws Exception {
    UdxStream[] s = pair(udx.createSocket().bind(), udx.createSocket().bind());
    CopyOnWriteArrayList<byte[]> got = new CopyOnWriteArrayList<>();
    s[1].pause();
    s[1].listener((stream, data) -> got.add(data));
    s[0].write(new byte[] {1});
    s[0].write(new byte[] {2});
    org.awaitility.Awaitility.await().until(() -> s[1].stats().endsWith("delivered=2"));
    CompletableFuture<Void> batchDone = new CompletableFuture<>();
    s[1].loop().execute(() -> batchDone.complete(null));
    batchDone.get(5, TimeUnit.SECONDS);
    assertTrue(got.isEmpty(), "delivered while paused");
    s[1].resume();
    org.awaitility.Awaitility.await().until(() -> got.stream().mapToInt(b -> b.length).sum() == 2);
    assertEquals(1, got.get(0)[0]);
  }

  @Test
  void shouldKeepCallOrderWhenThreadsAndTheLoopWriteTheSameStream() throws Exception {
    UdxStream[] s = pair(udx.createSocket().bind(), udx.createSocket().bind());
    ReentrantLock order = new ReentrantLock(); // as a secret stream's write lock: numbers are taken in lock order
    int[] next = {0};
    int perWriter = 2_000;
    Runnable writeOne = () -> {
      order.lock();
      try {
        s[0].writeQueued(ByteBuffer.allocate(4).putInt(next[0]++).array(), 0, 4);
      } finally {
        order.unlock();
      }
    };
    // the peer's every byte makes a's loop write too, interleaving loop writes with the threads'
    s[0].listener((stream, data) -> {
      for (int i = 0; i < data.length; i++) {
        writeOne.run();
      }
    });
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      writers.add(Thread.startVirtualThread(() -> {
        for (int i = 0; i < perWriter; i++) {
          writeOne.run();
        }
      }));
    }
    int loopWrites = 500;
    Thread.startVirtualThread(() -> {
      for (int i = 0; i < loopWrites; i++) {
        s[1].write(new byte[] {1});
      }
    });
    int total = 4 * perWriter + loopWrites;
    ByteBuffer received = ByteBuffer.allocate(4 * total);
    while (received.hasRemaining()) {
      byte[] chunk = s[1].read();
      received.put(chunk);
    }
    received.flip();
    for (int i = 0; i < total; i++) {
      assertEquals(i, received.getInt(), "position " + i);
    }
    for (Thread w : writers) {
      w.join();
    }
  }

  @Test
  void shouldRunTasksAndTimersOnTheLoopThreadAfterTheirDelay() throws Exception {
    UdxSocket socket = udx.createSocket().bind();
    long start = System.nanoTime();
    CompletableFuture<Boolean> inLoop = new CompletableFuture<>();
    udx.loop().schedule(Duration.ofMillis(50), () -> inLoop.complete(socket.inLoop() && udx.loop().inLoop()));
    assertTrue(inLoop.get(5, TimeUnit.SECONDS));
    assertTrue(System.nanoTime() - start >= 50_000_000L);
    assertFalse(udx.loop().inLoop());
  }

  @Test
  void shouldFailWithSocketClosedWhenUsedAfterTheLoopStopped() {
    UdxSocket socket = udx.createSocket().bind();
    udx.close();
    assertThrows(UdxException.class, () -> socket.execute(() -> { }));
    assertThrows(UdxException.class, () -> udx.createSocket().bind());
  }

  static byte[] readAll(UdxStream s) {
    return UdxStreamIT.readAll(s);
  }
}
