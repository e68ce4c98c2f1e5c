package io.hyperinfer.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.auth.AuthSettings;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.crypto.PasswordHash;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import io.hyperinfer.worker.testkit.TestWorkers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every trust decision against the roster, on the in-memory net (whose proven keys are the facility identities): a
 * rogue on the network's topics gets no password, prompt or request; members revoked by a newer roster are cut off;
 * a second network on the same net is invisible.
 */
@Timeout(60)
class TrustedNetworkIT {
  private static final String ECHO = "builtin-echo";
  @TempDir Path dir;
  private final TestNetwork net = TestNetwork.realTime(12);
  private final TestWorkers workers = new TestWorkers(Duration.ofSeconds(20));
  private final NetworkKey operator = NetworkKey.generate();
  private Roster roster = Roster.empty(operator.hex());

  @AfterEach
  void stop() {
    workers.stopAll();
  }

  /** Config joining {@code network}, with its own roster file, refreshed every 50 ms. */
  private Config member(NetworkKey network, String name, String extra) {
    Path file = dir.resolve(name + "-" + TestDataFactory.unique() + ".roster");
    return Config.of(Json.parse("{\"network\":{\"key\":\"" + network.hex() + "\",\"roster\":\"" + file
        + "\",\"refresh\":\"50ms\"}" + extra + "}"));
  }

  private AuthWorker auth(String extra) {
    return workers.start(new AuthWorker(TestDataFactory.context("auth"), member(operator, "auth", extra),
        net.facilities(), AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS)));
  }

  private GatewayWorker gateway(String extra) {
    return workers.start(new GatewayWorker(TestDataFactory.context("gateway"), member(operator, "gateway", extra),
        net.facilities()));
  }

  private ProcessorWorker processor() {
    return workers.start(new ProcessorWorker(TestDataFactory.context("processor"), member(operator, "processor",
        ",\"worker\":{\"drainTimeout\":\"200ms\"},\"processor\":{\"engine\":{}}"), net.facilities()));
  }

  /**
   * The operator edits the roster and publishes it on the net (the in-memory stand-in for the DHT record); every
   * worker fetches it through its own net facility within its refresh.
   */
  private void publish(Roster next) {
    roster = next;
    net.network().rosters().publish(operator.sign(next));
  }

  /** Admits the three workers and waits until {@code client} finds the gateway. */
  private void admit(AuthWorker auth, GatewayWorker gateway, ProcessorWorker processor, Cluster.Caller client) {
    publish(roster.admit(hex(auth.identity().publicKey()), Role.AUTH).admit(hex(gateway.publicKey()), Role.GATEWAY)
        .admit(hex(processor.identity().publicKey()), Role.PROCESSOR));
    await().atMost(Duration.ofSeconds(10)).until(() -> !client.network().lookup(GatewayWorker.TOPIC, false).join()
        .isEmpty());
  }

  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key);
  }

  @Test
  void shouldServeTheJourneyAndStarveRogueAnnouncersWhenOnlyMembersAreRostered() {
    AuthWorker auth = auth("");
    GatewayWorker gateway = gateway("");
    ProcessorWorker processor = processor();
    RogueWorker rogue = workers.start(new RogueWorker(member(operator, "rogue", ""), net.facilities(), ECHO));
    Cluster.Caller client = workers.start(new Cluster.Caller(net.facilities(), member(operator, "client", "")));
    publish(roster.admit(hex(auth.identity().publicKey()), Role.AUTH)
        .admit(hex(gateway.publicKey()), Role.GATEWAY)
        .admit(hex(processor.identity().publicKey()), Role.PROCESSOR));
    await().atMost(Duration.ofSeconds(10)).until(() -> client.network().lookup(GatewayWorker.TOPIC, false).join()
        .equals(List.of(new PeerRef(gateway.publicKey()))));

    for (int i = 0; i < 5; i++) {
      ObjectNode account = client.account(gateway, Json.object());
      Cluster.Stream s = client.stream(gateway, Cluster.infer("apiKey", account.get("apiKey").asText(), ECHO, "hi"));
      s.end();
      assertTrue(s.text().endsWith("hi"), s.text());
    }

    assertEquals(List.of(), rogue.received, "the rogue announced every topic and was never sent anything");
    assertEquals(List.of(new PeerRef(gateway.publicKey())), client.network().lookup(GatewayWorker.TOPIC, false)
        .join(), "the rogue gateway is not among the client's gateways");
    assertForbidden(() -> rogue.network().requestStream(processor.identity().publicKey(), NetworkNames.INFER,
        Cluster.infer("apiKey", "x", ECHO, "steal"), new Cluster.Stream()).done().join());
    assertForbidden(() -> rogue.network().request(auth.identity().publicKey(), "validateSession",
        Json.object().put("session", "x")).join());
  }

  @Test
  void shouldCutARevokedGatewayOffWhenANewerRosterArrives() {
    GatewayWorker gateway = gateway("");
    AuthWorker auth = auth("");
    ProcessorWorker processor = processor();
    Cluster.Caller client = workers.start(new Cluster.Caller(net.facilities(), member(operator, "client", "")));
    admit(auth, gateway, processor, client);
    ObjectNode account = client.account(gateway, Json.object());

    publish(roster.revoke(hex(gateway.publicKey()), null));

    await().atMost(Duration.ofSeconds(10)).until(() -> client.network().lookup(GatewayWorker.TOPIC, true).join()
        .isEmpty());
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertForbiddenStream(client.stream(gateway,
        Cluster.infer("session", account.get("session").asText(), ECHO, "after revocation"))));
  }

  @Test
  void shouldGrantAdminRightsToRosteredAdminKeysOnlyWhenInsideANetwork() {
    ObjectNode bootstrapAdmin = TestDataFactory.user();
    AuthWorker auth = workers.start(new AuthWorker(TestDataFactory.context("auth"), member(operator, "auth", ""),
        net.facilities(), AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS)
            .withAdminEmails(java.util.Set.of(bootstrapAdmin.get("email").asText()))));
    GatewayWorker gateway = gateway("");
    Cluster.Caller admin = workers.start(new Cluster.Caller(net.facilities(), member(operator, "admin", "")));
    Cluster.Caller squatter = workers.start(new Cluster.Caller(net.facilities(), member(operator, "squatter", "")));
    publish(roster.admit(hex(auth.identity().publicKey()), Role.AUTH).admit(hex(gateway.publicKey()), Role.GATEWAY)
        .admit(hex(admin.network().publicKey()), Role.ADMIN));
    await().atMost(Duration.ofSeconds(10)).until(() -> !squatter.network().lookup(GatewayWorker.TOPIC, false)
        .join().isEmpty());

    squatter.call(gateway, "register", bootstrapAdmin);
    String squatterSession = squatter.call(gateway, "login", bootstrapAdmin).get("session").asText();
    NetException refused = assertThrows(NetException.class, () -> squatter.call(gateway, "listUsers",
        Json.object().put("session", squatterSession)));
    assertEquals(NetException.ERR_FORBIDDEN, refused.code(), "registering the configured admin email first grants nothing");

    ObjectNode operatorUser = TestDataFactory.user();
    admin.call(gateway, "register", operatorUser);
    String adminSession = admin.call(gateway, "login", operatorUser).get("session").asText();
    JsonNode users = admin.call(gateway, "listUsers", Json.object().put("session", adminSession));
    assertEquals(2, users.get("users").size(), users.toString());
  }

  /** A session key file for Auth; the roster names its public half. */
  private String sessionKeyConfig() throws java.io.IOException {
    byte[] seed = new byte[32];
    seed[0] = 9;
    Path keyFile = dir.resolve("session-" + TestDataFactory.unique() + ".key");
    io.hyperinfer.worker.fs.PrivateFiles.write(keyFile, HexFormat.of().formatHex(seed).getBytes());
    publish(roster.withSessionKey(hex(io.hyperinfer.crypto.Ed25519.fromSeed(seed).publicKey())));
    return ",\"auth\":{\"sessionKeyFile\":\"" + keyFile + "\"}";
  }

  private static String inferCode(Cluster.Caller client, GatewayWorker gateway, String session) {
    try {
      client.stream(gateway, Cluster.infer("session", session, ECHO, "x")).end();
      return "ok";
    } catch (NetException e) {
      return e.code();
    }
  }

  @Test
  void shouldCheckSessionsOfflineWhileAuthIsDownAndHonourALogoutWithinTheRevocationInterval() throws Exception {
    AuthWorker auth = auth(sessionKeyConfig());
    GatewayWorker gateway = gateway(",\"gateway\":{\"revocationInterval\":\"100ms\",\"validationTtl\":\"0s\"}");
    ProcessorWorker processor = processor();
    Cluster.Caller client = workers.start(new Cluster.Caller(net.facilities(), member(operator, "client", "")));
    admit(auth, gateway, processor, client);
    ObjectNode user = TestDataFactory.user();
    client.call(gateway, "register", user);
    String first = client.call(gateway, "login", user).get("session").asText();
    String second = client.call(gateway, "login", user).get("session").asText();
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> inferCode(client, gateway, first)
        .equals("ok"));

    client.call(gateway, "logout", Json.object().put("session", first));
    long loggedOut = System.nanoTime();
    await().atMost(Duration.ofSeconds(10)).until(() -> inferCode(client, gateway, first)
        .equals(AuthClient.SESSION_REVOKED));
    System.out.printf("[measure] a logged-out session refused by the gateway %d ms after the logout (revocation"
        + " interval 100 ms)%n", (System.nanoTime() - loggedOut) / 1_000_000);

    workers.stop(auth);
    assertEquals("ok", inferCode(client, gateway, second), "no Auth runs: the gateway checks the session itself");
    assertEquals(AuthClient.SESSION_REVOKED, inferCode(client, gateway, first), "the revocation is still known");
    String forged = second.substring(0, second.indexOf('.')) + "." + second.substring(second.indexOf('.') + 2) + "A";
    assertEquals("ERR_INVALID_SESSION", inferCode(client, gateway, forged));
  }

  @Test
  void shouldSignSessionsWithTheNetworksSessionKeyWhenAuthHoldsIt() throws Exception {
    byte[] seed = new byte[32];
    seed[0] = 7;
    Path keyFile = dir.resolve("session.key");
    io.hyperinfer.worker.fs.PrivateFiles.write(keyFile, HexFormat.of().formatHex(seed).getBytes());
    String sessionKey = hex(io.hyperinfer.crypto.Ed25519.fromSeed(seed).publicKey());
    publish(roster.withSessionKey(sessionKey));
    String extra = ",\"auth\":{\"sessionKeyFile\":\"" + keyFile + "\"}";
    AuthWorker first = auth(extra);
    GatewayWorker gateway = gateway("");
    Cluster.Caller client = workers.start(new Cluster.Caller(net.facilities(), member(operator, "client", "")));
    publish(roster.admit(hex(first.identity().publicKey()), Role.AUTH).admit(hex(gateway.publicKey()),
        Role.GATEWAY));
    await().atMost(Duration.ofSeconds(10)).until(() -> !client.network().lookup(GatewayWorker.TOPIC, false).join()
        .isEmpty());
    ObjectNode user = TestDataFactory.user();
    client.call(gateway, "register", user);
    String session = client.call(gateway, "login", user).get("session").asText();

    assertEquals(sessionKey, hex(first.sessionPublicKey()));
    workers.stop(first);
    AuthWorker replacement = workers.start(new AuthWorker(TestDataFactory.context("auth"),
        member(operator, "auth2", extra), net.facilities(),
        AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS)));
    assertEquals(sessionKey, hex(replacement.sessionPublicKey()), "another Auth, another identity, the same key");
    var claims = new io.hyperinfer.contract.session.SessionVerifier(HexFormat.of().parseHex(roster.sessionKey()),
        java.time.Clock.systemUTC()).verify(session);
    assertEquals(user.get("email").asText(), claims.email(), "verified offline with the roster's key alone");

    io.hyperinfer.worker.fs.PrivateFiles.write(dir.resolve("other.key"), "11".repeat(32).getBytes());
    AuthWorker mismatched = new AuthWorker(TestDataFactory.context("auth"), member(operator, "auth3",
        ",\"auth\":{\"sessionKeyFile\":\"" + dir.resolve("other.key") + "\"}"), net.facilities(),
        AuthSettings.defaults().withHashing(PasswordHash.MINIMUM_FOR_TESTS));
    publish(roster);
    CompletionException refused = assertThrows(CompletionException.class, () -> mismatched.start().join());
    assertTrue(refused.getCause().getMessage().contains("auth.sessionKeyFile"), refused.getCause().getMessage());
    mismatched.stop().join();
  }

  @Test
  void shouldWalkTheJourneyWithAClientKeyPairWhenItIsRegisteredAndStopWhenRevoked() {
    AuthWorker auth = auth("");
    GatewayWorker gateway = gateway(",\"gateway\":{\"validationTtl\":\"50ms\"}");
    ProcessorWorker processor = processor();
    Cluster.Caller client = workers.start(new Cluster.Caller(net.facilities(), member(operator, "client", "")));
    Cluster.Caller stranger = workers.start(new Cluster.Caller(net.facilities(), member(operator, "stranger", "")));
    admit(auth, gateway, processor, client);
    ObjectNode user = TestDataFactory.user();
    client.call(gateway, "register", user);
    String session = client.call(gateway, "login", user).get("session").asText();
    JsonNode registered = client.call(gateway, "registerClientKey", Json.object().put("session", session)
        .put("name", "laptop"));
    String keyId = registered.path("key").path("keyId").asText();

    ObjectNode noSecret = Json.object().put("model", ECHO).put("prompt", "by key pair").put("maxTokens", 64);
    Cluster.Stream s = client.stream(gateway, noSecret);
    s.end();
    assertTrue(s.text().endsWith("by key pair"), s.text());
    NetException refused = assertThrows(NetException.class, () -> stranger.stream(gateway, noSecret).end());
    assertEquals("ERR_UNAUTHORIZED", refused.code(), "another key pair is nobody's credential");
    JsonNode listed = client.call(gateway, "listApiKeys", Json.object().put("session", session));
    assertEquals(keyId, listed.path("keys").path(0).path("keyId").asText(), "listed with the API keys");
    NetException again = assertThrows(NetException.class, () -> client.call(gateway, "registerClientKey",
        Json.object().put("session", session).put("name", "twice")));
    assertEquals("ERR_BAD_REQUEST", again.code());

    client.call(gateway, "revokeApiKey", Json.object().put("session", session).put("keyId", keyId));
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals("ERR_KEY_REVOKED",
        assertThrows(NetException.class, () -> client.stream(gateway, noSecret).end()).code()));
  }

  @Test
  void shouldNotSeeAnotherNetworkWhenBothShareTheDht() {
    NetworkKey other = NetworkKey.generate();
    GatewayWorker theirs = workers.start(new GatewayWorker(TestDataFactory.context("gateway"),
        member(other, "theirs", ""), net.facilities()));
    Cluster.Caller ours = workers.start(new Cluster.Caller(net.facilities(), member(operator, "ours", "")));
    Cluster.Caller plain = workers.start(new Cluster.Caller(net.facilities(), Config.empty()));
    publish(roster.admit(hex(theirs.publicKey()), Role.GATEWAY));

    assertEquals(List.of(), ours.network().lookup(GatewayWorker.TOPIC, false).join(),
        "their gateway announces under their network's topic key");
    assertEquals(List.of(), plain.network().lookup(GatewayWorker.TOPIC, false).join(),
        "nor under the plain topic key");
  }

  private static void assertForbidden(Runnable call) {
    CompletionException e = assertThrows(CompletionException.class, call::run);
    assertEquals(NetException.ERR_FORBIDDEN, NetException.of(e.getCause()).code(), e.getCause().toString());
  }

  private static void assertForbiddenStream(Cluster.Stream s) {
    RuntimeException e = assertThrows(RuntimeException.class, s::end);
    assertEquals(NetException.ERR_FORBIDDEN, NetException.of(e).code(), e.toString());
  }
}
