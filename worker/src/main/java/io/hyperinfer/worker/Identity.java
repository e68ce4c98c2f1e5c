package io.hyperinfer.worker;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.crypto.Random;
import io.hyperinfer.worker.store.Bee;
import io.hyperinfer.worker.store.StoreFacility;

/** A worker's Ed25519 identity: derived from a seed kept in the worker's own store, so restarts keep the keys. */
public final class Identity {
  /** The bee holding framework state. */
  public static final String BEE = "worker";
  static final String SEED_KEY = "identity/seed";

  private Identity() {}

  /** The key pair from the stored seed, creating and storing a random seed on first start. */
  public static KeyPair loadOrCreate(StoreFacility store) {
    Bee bee = store.bee(BEE);
    byte[] seed = bee.get(SEED_KEY).orElse(null);
    if (seed == null) {
      seed = Random.bytes(Ed25519.SEED_BYTES);
      bee.put(SEED_KEY, seed);
    } else if (seed.length != Ed25519.SEED_BYTES) {
      throw WorkerException.storeFailure("stored identity seed has " + seed.length + " bytes, expected 32", null);
    }
    return Ed25519.fromSeed(seed);
  }
}
