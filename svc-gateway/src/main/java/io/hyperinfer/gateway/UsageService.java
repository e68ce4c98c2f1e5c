package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.contract.infer.Credentials;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.PeerReply;
import io.hyperinfer.worker.net.RpcCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.TreeMap;

/**
 * The {@code usage} method: a user reads their own usage (or one of their keys'); an admin reads anyone's. Every
 * gateway holds the shard it metered, so the answer sums the shards of all gateways announcing the gateway topic
 * ({@value #SHARD_METHOD}, which only gateways may call). Thread-safe.
 */
final class UsageService {
  static final String SHARD_METHOD = "usageShard";
  static final int MAX_DAYS = 366;

  private final NetFacility net;
  private final UsageMeter meter;
  private final AuthClient auth;

  UsageService(NetFacility net, UsageMeter meter, AuthClient auth) {
    this.net = net;
    this.meter = meter;
    this.auth = auth;
  }

  /** {@code {session | apiKey, days?, userId? (admin), keyId?}} -> {@code {subject, days:[...], total, gateways}}. */
  JsonNode usage(RpcCall call) {
    JsonNode p = call.payload();
    Principal who = auth.authenticate(Credentials.fromJson(p), call.remote());
    int days = p.path("days").asInt(7);
    if (days < 1 || days > MAX_DAYS) {
      throw NetException.badRequest("days must be 1.." + MAX_DAYS);
    }
    String subject;
    if (p.hasNonNull("keyId")) {
      subject = "key/" + p.get("keyId").asText();
      if (!who.isAdmin() && !p.get("keyId").asText().equals(who.keyId())) {
        checkKeyOwner(p, who);
      }
    } else {
      String userId = p.path("userId").asText(who.userId());
      if (!userId.equals(who.userId()) && !who.isAdmin()) {
        throw new NetException(GatewayException.Code.FORBIDDEN.wire(), "only admins may read other users' usage");
      }
      subject = "user/" + userId;
    }
    ObjectNode query = Json.object().put("subject", subject).put("days", days);
    Map<String, UsageMeter.Totals> byDay = new TreeMap<>(java.util.Comparator.reverseOrder());
    int shards = 0;
    for (PeerReply reply : shards(query, subject, days)) {
      if (!reply.isOk()) {
        continue;
      }
      shards++;
      reply.result().path("days").forEach(d -> byDay.merge(d.path("day").asText(), UsageMeter.Totals.fromJson(d),
          UsageMeter.Totals::plus));
    }
    ObjectNode out = Json.object().put("subject", subject).put("gateways", shards);
    var list = out.putArray("days");
    UsageMeter.Totals total = UsageMeter.Totals.ZERO;
    for (var e : byDay.entrySet()) {
      list.addObject().put("day", e.getKey()).setAll(e.getValue().toJson());
      total = total.plus(e.getValue());
    }
    out.set("total", total.toJson());
    return out;
  }

  /**
   * Every gateway's shard: this gateway's own read locally (a call to itself would cross the network for nothing, and
   * a transport need not connect a peer to itself), the others' by {@value #SHARD_METHOD}.
   */
  private List<PeerReply> shards(ObjectNode query, String subject, int days) {
    PeerRef self = new PeerRef(net.publicKey());
    List<PeerRef> gateways = net.lookup(GatewayWorker.TOPIC, false).join();
    List<CompletableFuture<PeerReply>> replies = new ArrayList<>();
    replies.add(CompletableFuture.completedFuture(PeerReply.ok(self, meter.history(subject, days))));
    for (PeerRef g : gateways) {
      if (!g.equals(self)) {
        replies.add(net.request(g.publicKey(), SHARD_METHOD, query).handle((ok, err) -> err == null
            ? PeerReply.ok(g, ok) : PeerReply.failed(g, NetException.of(err))));
      }
    }
    return replies.stream().map(CompletableFuture::join).toList();
  }

  /** One gateway's own records; refused to callers that do not announce the gateway topic. */
  JsonNode shard(RpcCall call) {
    PeerRef caller = call.remote();
    boolean isGateway = net.lookup(GatewayWorker.TOPIC, true).join().contains(caller)
        || net.lookup(GatewayWorker.TOPIC, false).join().contains(caller);
    if (!isGateway) {
      throw NetException.forbidden();
    }
    String subject = call.payload().path("subject").asText("");
    if (!subject.matches("(user|key)/[A-Za-z0-9_-]{1,64}")) {
      throw NetException.badRequest("bad usage subject");
    }
    return meter.history(subject, Math.clamp(call.payload().path("days").asInt(7), 1, MAX_DAYS));
  }

  private void checkKeyOwner(JsonNode p, Principal who) {
    JsonNode keys = auth.call("listApiKeys", Json.object().put("session", p.path("session").asText("")));
    for (JsonNode k : keys.path("keys")) {
      if (k.path("keyId").asText().equals(p.get("keyId").asText())) {
        return;
      }
    }
    throw new NetException(GatewayException.Code.FORBIDDEN.wire(), "that API key is not yours");
  }
}
