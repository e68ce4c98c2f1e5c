package io.hyperinfer.auth;

import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.memory.MemoryNetFacility;
import io.hyperinfer.worker.net.memory.MemoryNetwork;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import io.hyperinfer.worker.store.StoreFacility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An Auth worker on an in-memory network with a manual clock, a user peer and an allowlisted gateway peer; the Auth
 * store outlives {@link #restart()}. Test helper; not thread-safe.
 */
final class AuthHarness implements AutoCloseable {
  static final String PASSWORD = "correct-Horse-7";

  final ManualClock clock = new ManualClock();
  final MemoryNetwork network = new MemoryNetwork();
  private final Supplier<StoreFacility> stores;
  final MemoryNetFacility user = peer("user");
  final MemoryNetFacility gateway = peer("gateway");
  AuthWorker auth;

  /** Auth on one RAM store, kept across restarts. */
  AuthHarness() throws Exception {
    this(sameInstance(new MemoryStoreFacility()));
  }

  /** Auth on a store facility from {@code stores}, called again at each restart (e.g. a disk store on one directory). */
  AuthHarness(Supplier<StoreFacility> stores) throws Exception {
    this.stores = stores;
    start();
  }

  private static Supplier<StoreFacility> sameInstance(StoreFacility store) {
    return () -> store;
  }

  /** Another caller with its own key on the same network; stopped by the caller. */
  MemoryNetFacility peer(String name) {
    MemoryNetFacility net = new MemoryNetFacility(network);
    var keys = Ed25519.generate();
    net.start(new FacilityContext(new WorkerContext("peer", "test", name), Config.empty(), clock,
        new SimpleMeterRegistry(), () -> keys));
    return net;
  }

  private AuthSettings base = TestStores.settings();

  private void start() throws Exception {
    AuthSettings settings = base.withGateways(Set.of(java.util.HexFormat.of().formatHex(gateway.publicKey())));
    auth = new AuthWorker(new WorkerContext(AuthWorker.TYPE, "test", "auth-1"), Config.empty(),
        Facilities.of(new MemoryNetFacility(network), stores.get()).withClock(clock), settings);
    auth.start().get(10, TimeUnit.SECONDS);
  }

  /** Restarts Auth on the same store with {@code settings} (the gateway peer still allowlisted). */
  void reconfigure(AuthSettings settings) throws Exception {
    base = settings;
    restart();
  }

  /** Stops Auth and starts a new Auth worker on the same store. */
  void restart() throws Exception {
    auth.stop().get(10, TimeUnit.SECONDS);
    start();
  }

  JsonNode call(MemoryNetFacility from, String method, JsonNode payload) throws Exception {
    try {
      return from.topicRequest(AuthSettings.DEFAULT_TOPIC, method, payload).get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  NetException error(MemoryNetFacility from, String method, JsonNode payload) {
    return assertThrows(NetException.class, () -> call(from, method, payload));
  }

  JsonNode register(String email) throws Exception {
    return call(user, "register", Json.object().put("email", email).put("password", PASSWORD));
  }

  String login(String email) throws Exception {
    return call(user, "login", Json.object().put("email", email).put("password", PASSWORD)).path("session")
        .asText();
  }

  @Override
  public void close() throws Exception {
    auth.stop().get(10, TimeUnit.SECONDS);
    user.stop();
    gateway.stop();
  }
}
