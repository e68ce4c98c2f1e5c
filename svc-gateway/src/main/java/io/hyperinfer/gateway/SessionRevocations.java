package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerReply;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The gateway's copy of the sessions Auth revoked (logout, admin revoke) and that have not expired yet, so it can
 * accept sessions offline and still honour revocations: every {@code interval} it asks every Auth it trusts for its
 * list ({@code sessionRevocations}) and merges the answers in (a revocation only ends when the token expires, so an
 * Auth that does not answer a round removes nothing). Offline checks are allowed only once a round has succeeded and
 * while every answer was complete and the copy is within its bound; otherwise the gateway asks Auth per session, as
 * outside a network. A logout is therefore honoured within one interval (plus one call) while an Auth is reachable,
 * and nothing can be revoked while none is. Thread-safe; owns one daemon thread once started.
 */
final class SessionRevocations implements AutoCloseable {
  /** The method Auth serves to trusted gateways. */
  static final String METHOD = "sessionRevocations";
  /** The most revocations kept; beyond, offline checks stop until the copy shrinks. */
  static final int MAX_ENTRIES = 100_000;

  private final NetFacility net;
  private final String authTopic;
  private final Clock clock;
  private final Duration interval;
  private final Map<String, Instant> revoked = new HashMap<>();
  private boolean synced;
  private boolean complete;
  private Periodic timer;

  SessionRevocations(NetFacility net, String authTopic, Clock clock, Duration interval) {
    this.net = net;
    this.authTopic = authTopic;
    this.clock = clock;
    this.interval = interval;
  }

  void start() {
    timer = Periodic.start("gateway-session-revocations", interval, this::poll);
  }

  /** One round: asks every Auth and merges; returns how many answered. */
  int poll() {
    int answered = 0;
    boolean allComplete = true;
    Map<String, Instant> fresh = new HashMap<>();
    RequestOptions options = RequestOptions.timeout(interval.compareTo(Duration.ofSeconds(1)) < 0
        ? Duration.ofSeconds(1) : interval);
    for (PeerReply r : net.topicRequestAll(authTopic, METHOD, Json.object(), options).join()) {
      if (!r.isOk() || !r.result().path("revoked").isArray()) {
        continue;
      }
      answered++;
      allComplete &= r.result().path("complete").asBoolean(false);
      for (JsonNode e : r.result().path("revoked")) {
        if (e.path("sid").isTextual() && e.path("exp").canConvertToLong()) {
          fresh.put(e.path("sid").asText(), Instant.ofEpochSecond(e.path("exp").asLong()));
        }
      }
    }
    if (answered > 0) {
      merge(fresh, allComplete);
    }
    return answered;
  }

  private synchronized void merge(Map<String, Instant> fresh, boolean allComplete) {
    Instant now = clock.instant();
    revoked.values().removeIf(exp -> !now.isBefore(exp));
    fresh.forEach((sid, exp) -> {
      if (now.isBefore(exp) && revoked.size() < MAX_ENTRIES) {
        revoked.put(sid, exp);
      }
    });
    synced = true;
    complete = allComplete && revoked.size() < MAX_ENTRIES;
  }

  /** Whether sessions may be checked offline now: a round succeeded and the copy is complete. */
  synchronized boolean offlineReady() {
    return synced && complete;
  }

  synchronized boolean isRevoked(String sessionId) {
    Instant exp = revoked.get(sessionId);
    return exp != null && clock.instant().isBefore(exp);
  }

  synchronized int size() {
    return revoked.size();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.close();
    }
  }
}
