package io.hyperinfer.worker.testkit;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.memory.MemoryNetFacility;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The net contract on the in-memory transport, real time, with latency so frames really interleave. */
class MemoryNetFacilityContractTest extends NetFacilityContract {
  private final TestNetwork net = TestNetwork.realTime(99);

  MemoryNetFacilityContractTest() {
    net.setLatency(java.time.Duration.ZERO, java.time.Duration.ofMillis(2));
  }

  @Override
  protected NetFacility startPeer(Config config) {
    KeyPair keys = Ed25519.generate();
    MemoryNetFacility f = net.facility();
    f.start(new FacilityContext(TestDataFactory.context("peer"), config, net.clock(), new SimpleMeterRegistry(),
        () -> keys));
    return f;
  }

  @Override
  protected void crash(NetFacility peer) {
    net.failPeer(peer.publicKey());
  }
}
