package io.hyperinfer.worker;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.log.LogSetup;
import io.hyperinfer.worker.log.WorkerMdc;
import io.hyperinfer.worker.metrics.MetricsSnapshot;
import io.hyperinfer.worker.ops.Health;
import io.hyperinfer.worker.ops.OpsEndpoint;
import io.hyperinfer.worker.ops.OpsSettings;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerPolicy;
import io.hyperinfer.worker.store.StoreFacility;
import io.hyperinfer.worker.trust.NetworkTrust;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every service worker. {@link #start()} validates config, starts facilities in priority order, loads the
 * identity, registers the built-in {@code metrics} method, runs {@link #onStart()} and writes the status file; any
 * failure stops what had started and fails with one {@link WorkerStartException} naming the step. {@link #stop()}
 * drains in-flight work (at most {@code worker.drainTimeout}, default 5s), runs {@link #onStop()} and stops facilities
 * in reverse order. With {@code facs.ops.port} set, an {@link OpsEndpoint} ({@code /metrics}, {@code /healthz}) is up
 * from the first step to the end of the stop (after a failed start, until {@link #stop()}). Thread-safe: lifecycle
 * calls may come from any thread.
 */
public abstract class Worker {
  /** Config key bounding the drain at stop. */
  public static final String DRAIN_TIMEOUT = "worker.drainTimeout";
  /** Config key of the status file path; when absent, {@code <store.dir>/status.json} if store.dir is set. */
  public static final String STATUS_FILE = "worker.statusFile";

  /** Logs with the worker's type and instance id in every line (MDC set on framework threads). */
  protected final Logger log = LoggerFactory.getLogger(getClass());

  private final WorkerContext ctx;
  private final Config config;
  private final Facilities facilities;
  private final NetworkTrust trust;
  private final AtomicReference<WorkerState> state = new AtomicReference<>(WorkerState.NEW);
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private final AtomicReference<KeyPair> identity = new AtomicReference<>();
  private final Deque<Facility> started = new ArrayDeque<>();
  private final CompletableFuture<Void> startDone = new CompletableFuture<>();
  private final Map<String, FacilityState> facilityStates = new LinkedHashMap<>();
  private volatile OpsEndpoint endpoint;
  private volatile String failure;

  protected Worker(WorkerContext ctx, Config config, Facilities facilities) {
    this.ctx = ctx;
    this.config = config;
    this.trust = NetworkTrust.configured(config) ? new NetworkTrust(facilities.net()::rosters) : null;
    this.facilities = trust == null ? facilities : facilities.with(trust);
  }

  /**
   * Who this worker trusts for what: the network's roster when config has {@code network.key} (see
   * {@link NetworkTrust}), else {@link PeerPolicy#OPEN}.
   */
  protected final PeerPolicy peerPolicy() {
    return trust == null ? PeerPolicy.OPEN : trust;
  }

  /** Registers handlers, announces topics. Runs on a virtual thread after every facility is up. */
  protected abstract void onStart() throws Exception;

  /** Releases the worker's own resources; facilities are still up. */
  protected void onStop() throws Exception {}

  /** Checks the worker's own config keys before anything starts; throw {@link ConfigException} on a bad key. */
  protected void validateConfig(Config cfg) {}

  /** Starts the worker; the future completes when it is ready. Starting twice fails with ILLEGAL_STATE. */
  public final CompletableFuture<Void> start() {
    if (!moveTo(WorkerState.NEW, WorkerState.STARTING)) {
      return CompletableFuture.failedFuture(WorkerException.illegalState(
          "worker " + ctx.label() + " cannot start from state " + state.get()));
    }
    Thread.ofVirtual().name("start-" + ctx.label()).start(WorkerMdc.wrap(ctx, this::runStart));
    return startDone.copy();
  }

  /** Stops the worker; idempotent, and safe in any state (a starting worker is stopped once its start settles). */
  public final CompletableFuture<Void> stop() {
    return switch (state.get()) {
      case NEW -> {
        if (!moveTo(WorkerState.NEW, WorkerState.STOPPED)) {
          yield stop();
        }
        stopped.complete(null);
        ready.completeExceptionally(WorkerException.illegalState("worker " + ctx.label() + " stopped before start"));
        yield stopped.copy();
      }
      case STARTING -> startDone.handle((ok, err) -> null).thenCompose(ignored -> stop());
      case READY -> {
        if (moveTo(WorkerState.READY, WorkerState.STOPPING)) {
          Thread.ofVirtual().name("stop-" + ctx.label()).start(WorkerMdc.wrap(ctx, this::runStop));
        }
        yield stopped.copy();
      }
      case STOPPING, STOPPED -> stopped.copy();
      case FAILED -> {
        closeEndpoint();
        yield CompletableFuture.completedFuture(null);
      }
    };
  }

  /** The port of the ops endpoint ({@code /metrics}, {@code /healthz}) while it is up, when config enabled it. */
  public final OptionalInt opsPort() {
    OpsEndpoint e = endpoint;
    return e == null ? OptionalInt.empty() : OptionalInt.of(e.port());
  }

  /** What {@code /healthz} answers: ready or not, the worker's state and its facilities' states. */
  public final Health health() {
    WorkerState now = state.get();
    var body = Json.object().put("state", now.name()).put("type", ctx.type()).put("env", ctx.env())
        .put("instanceId", ctx.instanceId());
    KeyPair kp = identity.get();
    if (kp != null) {
      body.put("publicKey", kp.publicKeyHex());
    }
    var states = body.putObject("facilities");
    synchronized (facilityStates) {
      facilityStates.forEach((name, s) -> states.put(name, s.name()));
    }
    if (failure != null) {
      body.put("error", failure);
    }
    return new Health(now == WorkerState.READY, body);
  }

  public final boolean isReady() {
    return state.get() == WorkerState.READY;
  }

  /** Completes when the worker becomes ready; fails when its start fails. */
  public final CompletableFuture<Void> ready() {
    return ready.copy();
  }

  public final WorkerState state() {
    return state.get();
  }

  public final WorkerContext ctx() {
    return ctx;
  }

  public final Config config() {
    return config;
  }

  protected final NetFacility net() {
    return facilities.net();
  }

  protected final StoreFacility store() {
    return facilities.store();
  }

  protected final Clock clock() {
    return facilities.clock();
  }

  protected final MeterRegistry metrics() {
    return facilities.metrics();
  }

  /** The worker's key pair; loaded from the store at start. */
  public final KeyPair identity() {
    KeyPair kp = identity.get();
    if (kp != null) {
      return kp;
    }
    synchronized (identity) {
      if (identity.get() == null) {
        identity.set(Identity.loadOrCreate(facilities.store()));
      }
      return identity.get();
    }
  }

  private void runStart() {
    String step = "config";
    try {
      Duration drain = config.duration(DRAIN_TIMEOUT, Duration.ofSeconds(5));
      LogSetup.apply(config);
      validateConfig(config);
      Optional<OpsSettings> ops = OpsSettings.fromConfig(config);
      List<Facility> order = facilities.inStartOrder();
      order.forEach(f -> setState(f, FacilityState.PENDING));
      if (ops.isPresent()) {
        step = "ops endpoint";
        endpoint = OpsEndpoint.start(ops.get(), facilities.metrics(), this::health, "ops-" + ctx.label());
        log.info("ops endpoint on http://127.0.0.1:{} (/metrics, /healthz)", endpoint.port());
      }
      FacilityContext fctx = new FacilityContext(ctx, config, facilities.clock(), facilities.metrics(),
          this::identity);
      for (Facility f : order) {
        step = "facility " + f.name();
        started.push(f);
        setState(f, FacilityState.STARTING);
        try {
          f.start(fctx);
        } catch (Throwable t) {
          setState(f, FacilityState.FAILED);
          throw t;
        }
        setState(f, FacilityState.UP);
      }
      step = "identity";
      identity();
      step = "metrics";
      net().respond("metrics", call -> MetricsSnapshot.toJson(facilities.metrics()));
      step = "onStart";
      onStart();
      step = "status";
      statusFile().ifPresent(file -> StatusFile.write(file, ctx, identity(), net().publicKey(),
          facilities.clock().instant(), opsPort()));
      moveTo(WorkerState.STARTING, WorkerState.READY);
      log.info("worker ready (drain timeout {})", drain);
      ready.complete(null);
      startDone.complete(null);
    } catch (Throwable t) {
      WorkerStartException error = new WorkerStartException(ctx, step, t);
      log.error("worker start failed at step '{}': {}", step, error.getMessage());
      failure = WorkerException.expected(t).map(Throwable::getMessage).orElse(error.getMessage());
      stopStarted();
      moveTo(WorkerState.STARTING, WorkerState.FAILED);
      ready.completeExceptionally(error);
      startDone.completeExceptionally(error);
    }
  }

  private void runStop() {
    Duration timeout = config.duration(DRAIN_TIMEOUT, Duration.ofSeconds(5));
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Facility f : started) {
      Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
      setState(f, FacilityState.DRAINING);
      if (!f.drain(left)) {
        log.warn("facility {} still had work after the {} drain timeout", f.name(), timeout);
      }
    }
    try {
      onStop();
    } catch (Exception e) {
      log.error("onStop failed: {}", e.toString());
    }
    stopStarted();
    closeEndpoint();
    moveTo(WorkerState.STOPPING, WorkerState.STOPPED);
    log.info("worker stopped");
    stopped.complete(null);
  }

  private void stopStarted() {
    while (!started.isEmpty()) {
      Facility f = started.pop();
      try {
        f.stop();
      } catch (RuntimeException e) {
        log.error("facility {} failed to stop: {}", f.name(), e.toString());
      }
      synchronized (facilityStates) {
        facilityStates.computeIfPresent(f.name(), (n, s) -> s == FacilityState.FAILED ? s : FacilityState.STOPPED);
      }
    }
  }

  private void setState(Facility f, FacilityState s) {
    synchronized (facilityStates) {
      facilityStates.put(f.name(), s);
    }
  }

  private void closeEndpoint() {
    OpsEndpoint e = endpoint;
    endpoint = null;
    if (e != null) {
      e.close();
    }
  }

  private Optional<Path> statusFile() {
    if (config.has(STATUS_FILE)) {
      return Optional.of(Path.of(config.string(STATUS_FILE)));
    }
    if (config.has("store.dir")) {
      return Optional.of(Path.of(config.string("store.dir"), "status.json"));
    }
    return Optional.empty();
  }

  private boolean moveTo(WorkerState from, WorkerState to) {
    if (!from.canMoveTo(to)) {
      throw new IllegalStateException("transition " + from + " -> " + to + " is not allowed");
    }
    boolean moved = state.compareAndSet(from, to);
    if (moved) {
      log.debug("state {} -> {}", from, to);
    }
    return moved;
  }
}
