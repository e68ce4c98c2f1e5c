package io.hyperinfer.app.worker;

import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.store.DiskStoreFacility;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Identity;
import io.hyperinfer.worker.WorkerContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A worker's public key read from (or, the first time, created in) its store, without starting the worker: what
 * {@code --print-key} prints, and how {@code up} learns its gateway's key before anything starts, so Auth and the
 * processors can allow it from their first moment. The store must not be in use (its lock says so in one sentence).
 */
public final class WorkerKeys {
  private WorkerKeys() {}

  /** The key pair of the worker whose store is {@code storeDir}. */
  public static KeyPair keyPair(String type, String instance, Path storeDir) throws IOException {
    DiskStoreFacility store = new DiskStoreFacility(storeDir);
    store.start(new FacilityContext(new WorkerContext(type, "keys", instance), Config.empty(), Clock.systemUTC(),
        new SimpleMeterRegistry(), () -> {
          throw new IllegalStateException("no identity before the store is open");
        }));
    try {
      return Identity.loadOrCreate(store);
    } finally {
      store.stop();
    }
  }
}
