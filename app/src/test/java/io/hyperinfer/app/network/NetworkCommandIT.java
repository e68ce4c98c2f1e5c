package io.hyperinfer.app.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.Hyperinfer;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.worker.net.swarm.DhtRosters;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.SignedRoster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator's commands against a loopback HyperDHT testnet: each edit is published and workers fetch it. */
@Order(5) // app/pom.xml: the run order of the two test threads
@Timeout(120)
class NetworkCommandIT {
  private static final String PROCESSOR = "0b".repeat(32);
  @TempDir Path dir;

  @Test
  void shouldPublishEveryEditWhenABootstrapIsGiven() throws Exception {
    try (Testnet net = Testnet.create(4)) {
      String bootstrap = net.bootstrap().stream().map(hp -> hp.host() + ":" + hp.port())
          .collect(Collectors.joining(","));
      StringWriter out = new StringWriter();
      assertEquals(0, run(out, "network", "create", "--dir", dir.toString(), "--bootstrap", bootstrap));
      assertTrue(out.toString().contains("published to the DHT"), out.toString());
      assertEquals(0, run(out, "network", "admit", "--role", "processor", PROCESSOR, "--dir", dir.toString(),
          "--bootstrap", bootstrap));

      NetworkKey network = NetworkKey.parse(new OperatorFiles(dir).loadNetworkKey().hex());
      SignedRoster fetched = new DhtRosters(net.createNode(), network).fetch(0).get(60, TimeUnit.SECONDS)
          .orElseThrow();
      assertEquals(3, fetched.roster().seq());
      assertTrue(fetched.verify(network.hex()));

      StringWriter shown = new StringWriter();
      assertEquals(0, run(shown, "network", "show", "--dir", dir.toString(), "--bootstrap", bootstrap));
      assertTrue(shown.toString().contains("on the DHT: network " + network.hex() + " seq 3"), shown.toString());
      assertEquals(0, run(shown, "network", "publish", "--dir", dir.toString(), "--bootstrap", bootstrap));
    }
  }

  private static int run(StringWriter out, String... args) {
    CommandLine cli = Hyperinfer.commandLine();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    if (code != 0) {
      System.err.println(err);
    }
    return code;
  }
}
