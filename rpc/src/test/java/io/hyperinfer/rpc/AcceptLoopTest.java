package io.hyperinfer.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class AcceptLoopTest {
  /** Each step is what one accept does: return a socket, throw an IOException or throw an Error. */
  private final Deque<Object> steps = new ArrayDeque<>();
  private final List<Duration> sleeps = new ArrayList<>();
  private final List<Socket> served = new ArrayList<>();

  private Socket accept() throws IOException {
    Object step = steps.poll();
    if (step instanceof Socket s) {
      return s;
    }
    if (step instanceof IOException e) {
      throw e;
    }
    if (step instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException("no more steps");
  }

  private AcceptLoop loop(java.util.function.Consumer<Socket> handler) {
    return new AcceptLoop(this::accept, handler, steps::isEmpty, sleeps::add);
  }

  @Test
  void shouldBackOffAndKeepAcceptingWhenAcceptFailsWithEmfileOrError() {
    Socket first = new Socket();
    Socket second = new Socket();
    steps.add(first);
    for (int i = 0; i < 10; i++) {
      steps.add(new IOException("Too many open files"));
    }
    steps.add(new OutOfMemoryError("unable to create native thread"));
    steps.add(second);
    steps.add(new IOException("Too many open files"));
    steps.add(new Socket());
    AcceptLoop loop = loop(served::add);
    loop.run();
    assertEquals(3, served.size());
    assertEquals(first, served.get(0));
    assertEquals(second, served.get(1));
    assertEquals(12, loop.failures());
    assertEquals(List.of(5L, 10L, 20L, 40L, 80L, 160L, 320L, 640L, 1000L, 1000L, 1000L, 5L),
        sleeps.stream().map(Duration::toMillis).toList(), "doubling to 1 s, reset by a successful accept");
  }

  @Test
  void shouldCloseSocketAndGoOnWhenHandlerThrows() {
    Socket bad = new Socket();
    Socket good = new Socket();
    steps.add(bad);
    steps.add(good);
    loop(s -> {
      if (s == bad) {
        throw new StackOverflowError();
      }
      served.add(s);
    }).run();
    assertTrue(bad.isClosed());
    assertEquals(List.of(good), served);
  }

  @Test
  void shouldStopWhenInterruptedWhileBackingOff() {
    steps.add(new IOException("Too many open files"));
    steps.add(new Socket());
    new AcceptLoop(this::accept, served::add, () -> false, d -> {
      throw new InterruptedException();
    }).run();
    assertTrue(Thread.interrupted(), "the interrupt is kept");
    assertTrue(served.isEmpty());
  }

  @Test
  void shouldCapBackoffWhenFailuresGoOnForever() {
    assertEquals(Duration.ofMillis(5), AcceptLoop.backoff(0));
    assertEquals(Duration.ofSeconds(1), AcceptLoop.backoff(Long.MAX_VALUE));
  }
}
