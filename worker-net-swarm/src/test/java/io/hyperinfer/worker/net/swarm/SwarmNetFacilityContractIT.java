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

  /**
   * A crashed peer is heard only by silence: a keepalive (every 5 s) goes unacknowledged until UDX has spent its
   * retransmission budget, six RTOs in a row, each twice the last (as libudx). That is about 30 s on an idle loopback,
   * but the RTO grows with the measured RTT variance, and on this loaded machine the budget has run past 45 s.
   */
  @Override
  protected Duration crashNoticedWithin() {
    return Duration.ofSeconds(90);
  }

  @Override
  protected void crash(NetFacility peer) {
    ((SwarmNetFacility) peer).dht().udx().orElseThrow().close();
  }
}
