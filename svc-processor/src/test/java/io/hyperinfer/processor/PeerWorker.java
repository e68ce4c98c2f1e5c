package io.hyperinfer.processor;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.testkit.TestDataFactory;

/** A worker with no behaviour of its own: the calling side in tests (a stand-in gateway). */
final class PeerWorker extends Worker {
  PeerWorker(Facilities facilities) {
    super(TestDataFactory.context("peer"), Config.empty(), facilities);
  }

  @Override
  protected void onStart() {}

  NetFacility network() {
    return net();
  }
}
