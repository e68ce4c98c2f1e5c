package io.hyperinfer.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.hyperdht.Testnet;
import io.hyperinfer.worker.net.swarm.DhtRosters;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.swarm.SwarmNetFacility;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trust rules on the real stack, in one JVM: every worker on its own SwarmNetFacility (HyperDHT, Noise, UDX,
 * @hyperswarm/rpc) on a loopback testnet, the roster published on that DHT by the operator and fetched by each
 * worker. A rogue that knows the network key and announces every worker topic gets nothing; a revoked gateway is cut
 * off within the refresh bound. It is svc-gateway's test (its package and helpers, from that module's test jar) kept in
 * app, the module that runs the workers on the real stack: in svc-gateway it made that module, and svc-client after
 * it, wait for worker-net-swarm's integration tests.
 */
@Order(7) // app/pom.xml: the run order of the two test threads
@Timeout(240)
class TrustedSwarmIT {
  private static final String ECHO = "builtin-echo";
  @TempDir Path dir;

  @Test
  void shouldKeepRoguesOutAndCutRevokedMembersOffWhenTheRosterIsOnTheDht() throws Exception {
    try (Testnet dht = Testnet.create(4)) {
      NetworkKey operator = NetworkKey.generate();
      DhtRosters publisher = new DhtRosters(dht.createNode(), operator);
      String bootstrap = dht.bootstrap().stream().map(hp -> hp.host() + ":" + hp.port())
          .collect(Collectors.joining(","));
      TestWorkers workers = new TestWorkers(Duration.ofSeconds(60));
      try {
        AuthWorker auth = workers.start(new AuthWorker(TestDataFactory.context("auth"), member(operator, bootstrap,
            "auth", ""), facilities(), AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS)));
        GatewayWorker gateway = workers.start(new GatewayWorker(TestDataFactory.context("gateway"),
            member(operator, bootstrap, "gateway", ",\"gateway\":{\"validationTtl\":\"100ms\"}"), facilities()));
        ProcessorWorker processor = workers.start(new ProcessorWorker(TestDataFactory.context("processor"),
            member(operator, bootstrap, "processor", ",\"worker\":{\"drainTimeout\":\"300ms\"},"
                + "\"processor\":{\"engine\":{}}"), facilities()));
        RogueWorker rogue = workers.start(new RogueWorker(member(operator, bootstrap, "rogue", ""), facilities(),
            ECHO));
        Cluster.Caller client = workers.start(new Cluster.Caller(facilities(), member(operator, bootstrap, "client",
            "")));
        Roster members = Roster.empty(operator.hex()).admit(hex(auth.identity().publicKey()), Role.AUTH)
            .admit(hex(gateway.publicKey()), Role.GATEWAY).admit(hex(processor.identity().publicKey()),
                Role.PROCESSOR);
        publisher.publish(operator.sign(members)).get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).until(() -> client.network().lookup(GatewayWorker.TOPIC, false)
            .join().equals(List.of(new PeerRef(gateway.publicKey()))));

        ObjectNode account = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
            .until(() -> client.account(gateway, Json.object()), a -> a != null);
        for (int i = 0; i < 3; i++) {
          Cluster.Stream s = client.stream(gateway, Cluster.infer("apiKey", account.get("apiKey").asText(), ECHO,
              "real stack " + i));
          s.end();
          assertTrue(s.text().endsWith("real stack " + i), s.text());
        }
        assertEquals(List.of(), rogue.received, "the rogue announced every topic and was sent nothing");
        CompletionException forbidden = assertThrows(CompletionException.class, () -> rogue.network().request(
            auth.identity().publicKey(), "validateSession", Json.object().put("session", "x")).join());
        assertEquals(NetException.ERR_FORBIDDEN, NetException.of(forbidden.getCause()).code());

        long t0 = System.nanoTime();
        publisher.publish(operator.sign(members.revoke(hex(gateway.publicKey()), null))).get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
            assertEquals(NetException.ERR_FORBIDDEN, assertThrows(NetException.class, () -> client.stream(gateway,
                Cluster.infer("apiKey", account.get("apiKey").asText(), ECHO, "after")).end()).code()));
        System.out.printf("[measure] revoked gateway refused %d ms after the publish started (refresh 500 ms)%n",
            (System.nanoTime() - t0) / 1_000_000);
        assertEquals(List.of(), rogue.received);
      } finally {
        workers.stopAll();
      }
    }
  }

  private Config member(NetworkKey network, String bootstrap, String name, String extra) {
    Path roster = dir.resolve(name + ".roster");
    return Config.of(Json.parse("{\"network\":{\"key\":\"" + network.hex() + "\",\"roster\":\"" + roster
        + "\",\"refresh\":\"500ms\"},\"facs\":{\"net\":{\"bootstrap\":\"" + bootstrap + "\"}}" + extra + "}"));
  }

  private static Facilities facilities() {
    return Facilities.of(new SwarmNetFacility(), new MemoryStoreFacility());
  }

  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }
}
