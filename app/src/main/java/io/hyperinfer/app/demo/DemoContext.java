package io.hyperinfer.app.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.store.DiskStoreFacility;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.memory.MemoryNetFacility;
import io.hyperinfer.worker.net.memory.MemoryNetwork;
import io.hyperinfer.worker.store.StoreFacility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What demo steps share: the local network, the workers started on it (stopped in reverse order on close), named
 * client peers, a store directory per worker, and values handed from step to step. Confined to the demo's thread.
 */
public final class DemoContext implements AutoCloseable {
  /** How long a demo request may take before the step fails. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);
  /** Topic the demo's calls go to unless a step says otherwise. */
  public static final String AUTH_TOPIC = "hyperinfer/auth";

  private final MemoryNetwork network;
  private final Path storeRoot;
  private final boolean fastHashing;
  private final Deque<Worker> workers = new ArrayDeque<>();
  private final Map<String, NetFacility> peers = new HashMap<>();
  private final Map<String, StoreFacility> stores = new HashMap<>();
  private final Map<String, Object> values = new ConcurrentHashMap<>();

  /**
   * @param network the in-process network every worker and peer joins
   * @param storeRoot where each worker gets its store directory
   * @param fastHashing whether Auth uses the cheapest Argon2id cost (tests) instead of the production one
   */
  public DemoContext(MemoryNetwork network, Path storeRoot, boolean fastHashing) {
    this.network = network;
    this.storeRoot = storeRoot;
    this.fastHashing = fastHashing;
  }

  public MemoryNetwork network() {
    return network;
  }

  public Clock clock() {
    return network.clock();
  }

  public boolean fastHashing() {
    return fastHashing;
  }

  /** The store directory of worker {@code name}, created on first use. */
  public Path storeDir(String name) {
    try {
      return Files.createDirectories(storeRoot.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Net and store facilities for worker {@code name}: its state lives on disk (Hyperbee on Hypercore) in its own
   * store directory, one facility per worker so a restarted worker reopens the same database.
   */
  public Facilities facilities(String name) {
    StoreFacility store = stores.computeIfAbsent(name, n -> new DiskStoreFacility(storeDir(n)));
    return Facilities.of(new MemoryNetFacility(network), store).withClock(clock());
  }

  /** Starts {@code worker}, waits until it is ready, and stops it when the demo ends. */
  public <W extends Worker> W start(W worker) throws Exception {
    workers.push(worker);
    worker.start().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    return worker;
  }

  /** A started net facility with its own fresh key pair, for a client or gateway played by the demo itself. */
  public NetFacility peer(String name) {
    return peers.computeIfAbsent(name, n -> {
      MemoryNetFacility net = new MemoryNetFacility(network);
      var keys = Ed25519.generate();
      try {
        net.start(new FacilityContext(new WorkerContext("peer", "demo", n), Config.empty(), clock(),
            new SimpleMeterRegistry(), () -> keys));
      } catch (Exception e) {
        throw new IllegalStateException("demo peer " + n + " failed to start", e);
      }
      return net;
    });
  }

  /** Calls {@code method} on the Auth topic from peer {@code from} and returns the reply. */
  public JsonNode call(String from, String method, JsonNode payload) throws Exception {
    return call(from, AUTH_TOPIC, method, payload);
  }

  public JsonNode call(String from, String topic, String method, JsonNode payload) throws Exception {
    try {
      return peer(from).topicRequest(topic, method, payload).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** Calls {@code method} and checks that it fails with {@code expectedCode}; returns the code. */
  public String callExpectingError(String from, String method, JsonNode payload, String expectedCode)
      throws Exception {
    try {
      JsonNode reply = call(from, method, payload);
      throw new DemoFailure("expected " + expectedCode + " but the call succeeded: " + reply.size() + " fields");
    } catch (NetException e) {
      DemoFailure.check(expectedCode.equals(e.code()), "expected " + expectedCode + " but got " + e.code()
          + " (" + e.getMessage() + ")");
      return e.code();
    } catch (TimeoutException e) {
      throw new DemoFailure("expected " + expectedCode + " but the call timed out");
    }
  }

  public void put(String key, Object value) {
    values.put(key, value);
  }

  /** The value a previous step stored under {@code key}; fails the step when it is missing. */
  public <T> T get(String key, Class<T> type) {
    Object value = values.get(key);
    if (value == null) {
      throw new DemoFailure("an earlier step should have provided '" + key + "'");
    }
    return type.cast(value);
  }

  /** Stops every worker in reverse start order, then the demo's own peers; true when all stopped cleanly. */
  public boolean shutdown() {
    boolean clean = true;
    while (!workers.isEmpty()) {
      Worker worker = workers.pop();
      try {
        worker.stop().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (Exception e) {
        clean = false;
      }
    }
    peers.values().forEach(NetFacility::stop);
    peers.clear();
    return clean;
  }

  /** How many workers are still running. */
  public int runningWorkers() {
    return (int) workers.stream().filter(Worker::isReady).count();
  }

  @Override
  public void close() {
    shutdown();
  }
}
