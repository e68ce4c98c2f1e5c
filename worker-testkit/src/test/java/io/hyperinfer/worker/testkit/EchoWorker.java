package io.hyperinfer.worker.testkit;

import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;

/** A minimal service for testing the helpers: answers "echo" and announces "echo". */
final class EchoWorker extends Worker {
  private final boolean failStart;

  EchoWorker(Facilities facilities, boolean failStart) {
    super(TestDataFactory.context("echo"), Config.empty(), facilities);
    this.failStart = failStart;
  }

  EchoWorker(WorkerContext ctx, Facilities facilities) {
    super(ctx, Config.empty(), facilities);
    this.failStart = false;
  }

  @Override
  protected void onStart() {
    if (failStart) {
      throw new IllegalStateException("refusing to start");
    }
    net().respond("echo", call -> call.payload());
    net().announce("echo").join();
  }

  io.hyperinfer.worker.net.NetFacility network() {
    return net();
  }

  byte[] publicKey() {
    return net().publicKey();
  }
}
