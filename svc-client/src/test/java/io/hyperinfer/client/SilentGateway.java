package io.hyperinfer.client;

import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.testkit.TestDataFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway as a client sees one cut off by a partition: announces the gateway topic; takes infer streams and never sends a frame (until cancelled); refuses request calls
 * as a stopping worker does, so the account's set-up moves on to the real gateway.
 */
final class SilentGateway extends Worker {
  final AtomicInteger streams = new AtomicInteger();
  final CountDownLatch cancelled = new CountDownLatch(1);

  SilentGateway(Facilities facilities) {
    super(TestDataFactory.context("silent"), Config.empty(), facilities);
  }

  @Override
  protected void onStart() {
    for (String method : List.of("register", "login", "createApiKey", NetworkNames.MODELS)) {
      net().respond(method, call -> {
        throw new NetException("ERR_STOPPING", "stopping");
      });
    }
    net().respondStream(NetworkNames.INFER, (call, sink) -> {
      streams.incrementAndGet();
      call.cancel().onCancel(cancelled::countDown);
      cancelled.await(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
    });
    net().announce(NetworkNames.GATEWAY_TOPIC).join();
  }
}
