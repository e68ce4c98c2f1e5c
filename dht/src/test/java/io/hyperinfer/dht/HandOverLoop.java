package io.hyperinfer.dht;

import io.hyperinfer.dht.sim.SimRuntime;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.random.RandomGenerator;

/**
 * A node runtime whose loop is another thread as far as the caller can tell, driven by the test: the facade's calls
 * from outside the loop take their hop, and the test decides what the loop does with it. It runs a task handed over
 * at once ({@link Mode#RUN}), keeps it until {@link #runHeld} (a loop busy elsewhere, {@link Mode#HOLD}), or refuses
 * it as a closed UDX socket's loop does ({@link Mode#STOPPED}). Sockets, clocks and randomness are a
 * {@link SimRuntime}'s; nothing is delivered unless the test runs its network. Confined to the test thread.
 */
final class HandOverLoop implements NodeRuntime {
  enum Mode { RUN, HOLD, STOPPED }

  private final SimRuntime sim;
  private final Queue<Runnable> held = new ArrayDeque<>();
  private Mode mode = Mode.RUN;
  private boolean running;
  private int closes;

  HandOverLoop(SimRuntime sim) {
    this.sim = sim;
  }

  HandOverLoop mode(Mode m) {
    this.mode = m;
    return this;
  }

  int held() {
    return held.size();
  }

  /** Runs the tasks handed over so far, as the loop thread would once free. */
  void runHeld() {
    for (Runnable task; (task = held.poll()) != null; ) {
      run(task);
    }
  }

  int closes() {
    return closes;
  }

  private void run(Runnable task) {
    running = true;
    try {
      task.run();
    } finally {
      running = false;
    }
  }

  @Override
  public boolean inLoop() {
    return running;
  }

  @Override
  public void execute(Runnable task) {
    switch (mode) {
      case RUN -> run(task);
      case HOLD -> held.add(task);
      case STOPPED -> throw new IllegalStateException("the loop has stopped");
    }
  }

  @Override
  public DhtSocket serverSocket() {
    return sim.serverSocket();
  }

  @Override
  public DhtSocket clientSocket() {
    return sim.clientSocket();
  }

  @Override
  public long nowMs() {
    return sim.nowMs();
  }

  @Override
  public long wallMs() {
    return sim.wallMs();
  }

  @Override
  public RandomGenerator random() {
    return sim.random();
  }

  @Override
  public void schedule(long delayMs, Runnable task) {
    sim.schedule(delayMs, task);
  }

  @Override
  public void start(DatagramHandler handler) {
    sim.start(handler);
  }

  @Override
  public void close() {
    closes++;
    sim.close();
  }
}
