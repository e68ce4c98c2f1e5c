package io.hyperinfer.store;

import io.hyperinfer.worker.store.MemoryStoreFacility;
import io.hyperinfer.worker.store.StoreFacility;

class MemoryStoreContractTest extends StoreFacilityContract {
  @Override
  protected StoreFacility create() {
    return new MemoryStoreFacility();
  }
}
