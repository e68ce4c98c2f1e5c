package io.hyperinfer.worker.store;

import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bees and cores in RAM: the testkit's RAM storage and the demo's store until the on-disk one lands. Data outlives
 * stop/start of the facility (that is how tests simulate a restart with the same storage). Thread-safe.
 */
public final class MemoryStoreFacility implements StoreFacility {
  private final Map<String, MemoryBee> bees = new ConcurrentHashMap<>();
  private final Map<String, MemoryCore> cores = new ConcurrentHashMap<>();
  private volatile boolean open;
  private volatile RpcMetrics metrics = new RpcMetrics(new SimpleMeterRegistry());

  @Override
  public String name() {
    return "store";
  }

  @Override
  public int priority() {
    return PRIORITY_STORE;
  }

  @Override
  public void start(FacilityContext context) {
    metrics = new RpcMetrics(context.metrics());
    open = true;
  }

  @Override
  public void stop() {
    open = false;
  }

  public boolean isOpen() {
    return open;
  }

  @Override
  public Bee bee(String name) {
    checkOpen();
    return bees.computeIfAbsent(name, n -> new MemoryBee(n, this));
  }

  @Override
  public Core core(String name) {
    checkOpen();
    return cores.computeIfAbsent(name, n -> new MemoryCore(n, this));
  }

  void checkOpen() {
    if (!open) {
      throw WorkerException.storeFailure("store is not open", null);
    }
  }

  RpcMetrics metrics() {
    return metrics;
  }
}
