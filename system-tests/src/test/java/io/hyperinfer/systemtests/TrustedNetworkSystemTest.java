package io.hyperinfer.systemtests;

import static io.hyperinfer.systemtests.ProcessCluster.MODEL;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.launch.Launcher;
import io.hyperinfer.app.launch.NetworkPlan;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.net.JoinedClient;
import io.hyperinfer.app.net.Transport;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import io.hyperinfer.worker.net.swarm.DhtRosters;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.FacilityContext;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.fs.PrivateFiles;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 end to end: workers as separate processes of the launcher jar inside a network (config {@code network.*}),
 * the roster published on the network's DHT by the operator. A rogue peer that knows the network key and announces
 * the auth, gateway and model topics is never sent a password, a prompt or a request while the journey works; a
 * second network on the same DHT is invisible; a session survives an Auth restart; a client key pair walks the
 * journey without a session or API key; a revoked gateway is cut off within the refresh bound (measured); while Auth
 * is down the gateway still accepts a session, checked offline against the roster's session key.
 */
@Timeout(300)
class TrustedNetworkSystemTest {
  private static final Duration READY = Duration.ofSeconds(120);
  private static final String REFRESH = "1s";

  @Test
  void shouldServeOnlyRosteredMembersWhenStrangersShareTheDht() throws Exception {
    Path root = Files.createTempDirectory("trusted-network-system-test-");
    NetworkKey operator = NetworkKey.generate();
    KeyPair sessionKey = Ed25519.generate();
    Path sessionKeyFile = root.resolve("session.key");
    PrivateFiles.write(sessionKeyFile, HexFormat.of().formatHex(java.util.Arrays.copyOf(
        sessionKey.secretKey(), 32)).getBytes(StandardCharsets.US_ASCII));
    List<String> member = List.of("--set", "network.key=" + operator.hex(), "--set", "network.refresh=" + REFRESH);
    NetworkPlan plan = new NetworkPlan(Optional.of(root), 2, 1, 1, false,
        concat(member, "auth", root, "--set", "auth.passwordHash=minimum-for-tests", "--set",
            "auth.sessionKeyFile=" + sessionKeyFile),
        concat(member, "gateway", root, "--set", "gateway.validationTtl=300ms", "--set",
            "gateway.revocationInterval=500ms"),
        concat(member, "processor", root, "--set", "processor.engine={\"builtin\":{}}", "--set",
            "worker.drainTimeout=300ms"), READY);
    try (ProcessNetwork processes = ProcessNetwork.start(Launcher.jar(ProcessCluster.JAR).withCoverageOfThisJvm(),
        plan);
        HyperDht operatorNode = HyperDht.create(HyperDhtOptions.DEFAULT.withHost("127.0.0.1").withPort(0)
            .withAnyPort(true).withBootstrap(List.of(processes.bootstrap())).withMode(NodeOptions.Mode.EPHEMERAL))) {
      operatorNode.ready().get(60, TimeUnit.SECONDS);
      List<String> rogueCalls = new CopyOnWriteArrayList<>();
      NetFacility rogue = rogue(processes, operator, rogueCalls);
      String gatewayKey = processes.ready(ProcessNetwork.gateway(1)).publicKey();
      Roster members = Roster.empty(operator.hex()).withSessionKey(HexFormat.of().formatHex(sessionKey.publicKey()))
          .admit(processes.ready(ProcessNetwork.AUTH).publicKey(), Role.AUTH)
          .admit(gatewayKey, Role.GATEWAY)
          .admit(processes.ready(ProcessNetwork.processor(1)).publicKey(), Role.PROCESSOR);
      DhtRosters rosters = new DhtRosters(operatorNode, operator);
      rosters.publish(operator.sign(members)).get(60, TimeUnit.SECONDS);

      try (JoinedClient joined = join(processes, operator, root, "client");
          JoinedClient other = join(processes, NetworkKey.generate(), root, "other-network")) {
        ClientWorker client = joined.client();
        String email = TestDataFactory.email();
        String password = TestDataFactory.password();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> client.register(email, password)
            != null);
        client.login(email, password);
        // Admission reaches each worker within its refresh, the gateway's processor list within a status poll.
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> client.infer(Prompt.of(MODEL, "first"))
            .text().endsWith("first"));
        for (int i = 0; i < 3; i++) {
          assertTrue(client.infer(Prompt.of(MODEL, "trusted " + i)).text().endsWith("trusted " + i));
        }
        assertEquals(List.of(), rogueCalls, "the rogue announced auth, gateway and model topics and got nothing");
        assertEquals(List.of(gatewayKey.substring(0, 8)), client.gatewaysFound(), "only the rostered gateway is found");
        assertTrue(other.client().gatewaysFound().isEmpty(), "another network on the same DHT sees no gateway");

        String session = client.session();
        processes.stopChild(ProcessNetwork.AUTH, Duration.ofSeconds(20));
        assertTrue(client.infer(Prompt.of(MODEL, "auth down")).text().endsWith("auth down"),
            "no Auth runs: the gateway checks the session offline (roster's session key, expiry, revocations copy)");
        processes.restart(ProcessNetwork.AUTH);
        // an infer passes with Auth still away (the gateway checks sessions offline): only Auth's own answer shows
        // that it is back and still knows the session
        await().atMost(Duration.ofSeconds(60))
            .ignoreExceptionsMatching(e -> e instanceof ClientException c && c.code().equals("ERR_AUTH_UNAVAILABLE"))
            .until(() -> client.listApiKeys().path("keys").isArray());
        assertEquals(session, client.session(), "the session from before the restart still works");
        assertTrue(client.infer(Prompt.of(MODEL, "after restart")).text().endsWith("after restart"));

        client.call("registerClientKey", Json.object().put("session", session).put("name", "e2e key pair"));
        client.logout();
        assertTrue(client.infer(Prompt.of(MODEL, "by key pair")).text().endsWith("by key pair"),
            "no session, no API key: the key pair the handshake proved is the credential");

        long t0 = System.nanoTime();
        rosters.publish(operator.sign(members.revoke(gatewayKey, null))).get(60, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
            assertThrows(RuntimeException.class, () -> client.infer(Prompt.of(MODEL, "revoked"))));
        long refused = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.gatewaysFound().isEmpty());
        System.out.printf("[measure] revoked gateway refused by the network %d ms after the publish started, dropped by"
            + " the client after %d ms (refresh %s)%n", (refused - t0) / 1_000_000, (System.nanoTime() - t0) / 1_000_000,
            REFRESH);

        java.util.concurrent.ExecutionException replay = assertThrows(java.util.concurrent.ExecutionException.class,
            () -> rosters.publish(operator.sign(members)).get(60, TimeUnit.SECONDS));
        assertTrue(replay.getCause().getMessage().contains("SEQ_TOO_LOW"), "the DHT refuses an older roster");
        NetworkKey forger = NetworkKey.generate();
        new DhtRosters(operatorNode, forger).publish(forger.sign(new Roster(forger.hex(), 99, null,
            members.members(), members.revoked()))).get(60, TimeUnit.SECONDS);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
            .until(() -> client.gatewaysFound().isEmpty());
        assertEquals(List.of(), rogueCalls);
      } finally {
        rogue.stop();
      }
    }
  }

  /** Arguments joining {@code kind}'s workers to the network, with their own roster file. */
  private static List<String> concat(List<String> member, String kind, Path root, String... more) {
    List<String> out = new java.util.ArrayList<>(member);
    out.addAll(List.of("--set", "network.roster=" + root.resolve(kind + ".roster")));
    out.addAll(List.of(more));
    return out;
  }

  private static JoinedClient join(ProcessNetwork processes, NetworkKey network, Path root, String name)
      throws Exception {
    ObjectNode config = Json.object();
    config.putObject("client").put("timeout", "20s");
    config.putObject("network").put("key", network.hex()).put("roster", root.resolve(name + ".roster").toString())
        .put("refresh", REFRESH);
    return JoinedClient.join(List.of(processes.bootstrap()), name, config);
  }

  /** A bare peer with the network key (so it derives the network's topics) answering every worker method. */
  private static NetFacility rogue(ProcessNetwork processes, NetworkKey network, List<String> calls) throws Exception {
    ObjectNode config = Transport.joining(List.of(processes.bootstrap()));
    config.putObject("network").put("key", network.hex());
    NetFacility net = Transport.facility();
    net.start(new FacilityContext(new WorkerContext("peer", "launcher", "rogue"), Config.of(config),
        Clock.systemUTC(), new SimpleMeterRegistry(), Ed25519::generate));
    for (String method : List.of("register", "login", "sessionKey", "validateSession", "validateApiKey",
        "validateClientKey", NetworkNames.MODELS, NetworkNames.STATUS, NetworkNames.EMBED)) {
      net.respond(method, call -> {
        calls.add(method);
        return Json.object();
      });
    }
    net.respondStream(NetworkNames.INFER, (call, sink) -> calls.add(NetworkNames.INFER));
    for (String topic : List.of(NetworkNames.AUTH_TOPIC, NetworkNames.GATEWAY_TOPIC, NetworkNames.PROCESSOR_TOPIC,
        NetworkNames.modelTopic(MODEL))) {
      net.announce(topic).get(60, TimeUnit.SECONDS);
    }
    return net;
  }
}
