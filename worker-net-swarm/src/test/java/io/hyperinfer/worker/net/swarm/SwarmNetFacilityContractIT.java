package io.hyperinfer.worker.net.swarm;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.testkit.NetFacilityContract;
import java.time.Duration;
import java.util.ArrayList;
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
  /**
   * A 500 ms keepalive and a 2 s idle timeout, not the 5 s and 20 s defaults: the two crash tests wait the idle timeout
   * out, and it is the same mechanism at any setting (four keepalives fit in it, as with the defaults).
   */
  private static final List<String> IDLE = List.of("facs.net.keepAlive=500ms", "facs.net.idleTimeout=2s");
  /**
   * A crashed announcer's record outlives it, and its relays' forwards meet silence: its connect ends when the
   * handshake's sends run out, 4 of 250 ms per relay here instead of 4 of 1 s (loopback answers come in milliseconds).
   */
  private static final String HANDSHAKE = "facs.net.handshakeTimeout=250ms";
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

  /** Where calls travel: {@code pool} here, {@code swarm} in {@link SwarmConnectionsContractIT}. */
  protected String connections() {
    return "pool";
  }

  @Override
  protected NetFacility startPeer(Config config) {
    KeyPair keys = Ed25519.generate();
    SwarmNetFacility f = new SwarmNetFacility();
    List<String> overrides = new ArrayList<>(IDLE);
    overrides.addAll(List.of(SwarmPeers.bootstrap(net), HANDSHAKE, "facs.net.connections=" + connections()));
    f.start(SwarmPeers.context(keys, ConfigLoader.withOverrides(config, overrides)));
    return f;
  }

  /**
   * A crashed peer is heard only by silence: live peers send a keepalive every {@code facs.net.keepAlive}, and a
   * connection on which nothing arrives for {@code facs.net.idleTimeout} (2 s here) is closed. (Without that idle timeout, UDX's retransmission budget
   * alone took about 30 s, and in about half the runs on this machine the server side never gave up at all.)
   */
  @Override
  protected Duration crashNoticedWithin() {
    return Duration.ofSeconds(45);
  }

  @Override
  protected void crash(NetFacility peer) {
    ((SwarmNetFacility) peer).dht().udx().orElseThrow().close();
  }
}
