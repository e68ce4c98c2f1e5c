package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.testkit.NetFacilityContract;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;

/**
 * The whole net contract on the real stack: each peer a {@link SwarmNetFacility} owning its HyperDHT node on a
 * loopback testnet, calls over @hyperswarm/rpc on Noise-encrypted UDX connections. A crash closes the peer's UDX
 * sockets without a word, as a killed process does; its peers notice only by silence.
 */
@Timeout(300)
class SwarmNetFacilityContractIT extends NetFacilityContract {
  private static Testnet net;

  @BeforeAll
  static void network() {
    net = Testnet.create(5);
  }

  @AfterAll
  static void close() {
    if (net != null) {
      net.close();
    }
  }

  @Override
  protected NetFacility startPeer(Config config) {
    KeyPair keys = Ed25519.generate();
    SwarmNetFacility f = new SwarmNetFacility();
    f.start(SwarmPeers.context(keys, ConfigLoader.withOverrides(config, List.of(SwarmPeers.bootstrap(net)))));
    return f;
  }

  /** UDX gives up on a silent peer after its retransmission budget (about 25 s) once a keepalive (5 s) went out. */
  @Override
  protected Duration crashNoticedWithin() {
    return Duration.ofSeconds(45);
  }

  @Override
  protected void crash(NetFacility peer) {
    ((SwarmNetFacility) peer).dht().udx().orElseThrow().close();
  }
}
