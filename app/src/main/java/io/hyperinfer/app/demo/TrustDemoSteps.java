package io.hyperinfer.app.demo;

import io.hyperinfer.app.network.LocalOperator;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network's trust at work in the demo: the workers run inside a network whose operator signed the roster of its
 * members, and a stranger announcing the gateway topic is listed by the DHT but never used by the client, which
 * trusts only the key each handshake proves and the roster names.
 */
public final class TrustDemoSteps {
  /** The demo's peer that is in no roster. */
  static final String STRANGER = "stranger";

  private TrustDemoSteps() {}

  /** One line saying which network runs and who its roster names. */
  static String describe(LocalOperator operator) {
    Roster r = operator.roster().roster();
    Map<Role, Long> count = new java.util.EnumMap<>(Role.class);
    r.members().values().forEach(roles -> roles.forEach(role -> count.merge(role, 1L, Long::sum)));
    return "network " + operator.networkKey().substring(0, 16) + "...: its topics are keyed by it, and roster seq "
        + r.seq() + " (signed by the operator, published on the DHT) names " + r.members().size() + " members: "
        + count.getOrDefault(Role.AUTH, 0L) + " auth, " + count.getOrDefault(Role.GATEWAY, 0L) + " gateways (one is "
        + "the demo's own), " + count.getOrDefault(Role.PROCESSOR, 0L) + " processors";
  }

  /**
   * A stranger who knows the network key (so it can derive the topics) announces the gateway topic and would answer
   * every call: the DHT lists both announcers, the client finds only the rostered gateway, and its calls go there.
   */
  public static DemoStep stranger() {
    return DemoStep.of("A stranger announces the gateway topic; the client ignores it", ctx -> {
      AtomicInteger calls = new AtomicInteger();
      NetFacility stranger = ctx.peer(STRANGER);
      for (String method : List.of(NetworkNames.MODELS, "register", "login")) {
        stranger.respond(method, call -> {
          calls.incrementAndGet();
          return Json.object();
        });
      }
      stranger.announce(NetworkNames.GATEWAY_TOPIC).get(DemoContext.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      List<PeerRef> listed = ctx.peer(AuthDemoSteps.USER_PEER).lookup(NetworkNames.GATEWAY_TOPIC, false)
          .get(DemoContext.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      String strangerKey = java.util.HexFormat.of().formatHex(ctx.peerKeys(STRANGER).publicKey());
      DemoFailure.check(listed.stream().anyMatch(p -> p.hex().equals(strangerKey)),
          "the DHT should list the stranger among the gateway topic's announcers");
      ClientWorker client = ctx.get(InferenceDemoSteps.CLIENT, ClientWorker.class);
      List<String> found = client.gatewaysFound();
      String gateway = ctx.network().ready(io.hyperinfer.app.launch.ProcessNetwork.GATEWAY).publicKey();
      DemoFailure.check(Set.copyOf(found).equals(Set.of(gateway.substring(0, 8))), "the client should find only the "
          + "rostered gateway " + gateway.substring(0, 8) + ", it found " + found);
      int models = client.models().path("models").size();
      DemoFailure.check(calls.get() == 0, "the stranger was called " + calls.get() + " times");
      return "the DHT lists " + listed.size() + " announcers of the gateway topic, the stranger "
          + strangerKey.substring(0, 8) + " among them\nthe client uses only " + found + " (in the roster): "
          + models + " models listed through it, 0 calls reached the stranger";
    });
  }
}
