package io.hyperinfer.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * One request/response call tried on gateways in turn. A retry-safe call waits at most the first-reply deadline on a
 * gateway while another is left to try (the reply is the first frame), then moves on; its last gateway gets the whole
 * {@code client.timeout}. A call that is not retry-safe always gets the whole timeout and moves on only when the
 * gateway never handled it. Every failover error marks the gateway failed. A first lookup that finds no gateway is
 * repeated while {@code client.gatewayWait} lasts ({@link GatewayWait}). Confined to the calling thread.
 */
final class FailoverCall {
  private final NetFacility net;
  private final GatewayFinder gateways;
  private final FirstReplyDeadline firstReply;
  private final Duration timeout;
  private final boolean retrySafe;

  FailoverCall(NetFacility net, GatewayFinder gateways, FirstReplyDeadline firstReply, Duration timeout,
      boolean retrySafe) {
    this.net = net;
    this.gateways = gateways;
    this.firstReply = firstReply;
    this.timeout = timeout;
    this.retrySafe = retrySafe;
  }

  JsonNode call(String method, JsonNode payload) {
    Set<PeerRef> tried = new HashSet<>();
    ClientException last = null;
    for (int round = 0; round < 2; round++) {
      List<PeerRef> found = round == 0 ? gateways.firstCandidates(false) : gateways.candidates(true);
      for (int i = 0; i < found.size(); i++) {
        PeerRef g = found.get(i);
        if (!tried.add(g)) {
          continue;
        }
        boolean deadline = retrySafe && firstReply.enabled() && firstReply.timeout().compareTo(timeout) < 0
            && anotherLeft(found, i + 1, tried);
        try {
          JsonNode out = net.request(g.publicKey(), method, payload,
              RequestOptions.timeout(deadline ? firstReply.timeout() : timeout)).join();
          gateways.answered(g);
          return out;
        } catch (CompletionException e) {
          ClientException ce = ClientWorker.toClient(e.getCause());
          if (!GatewayFinder.FAILOVER.contains(ce.code())) {
            throw ce;
          }
          gateways.failed(g);
          if (!retrySafe && !GatewayFinder.NOT_DELIVERED.contains(ce.code())) {
            throw ce;
          }
          if (deadline && ce.code().equals("ERR_TIMEOUT")) {
            firstReply.abandoned();
          }
          last = ce;
        }
      }
    }
    throw last != null ? last : ClientWorker.noGateway();
  }

  private static boolean anotherLeft(List<PeerRef> found, int from, Set<PeerRef> tried) {
    for (int i = from; i < found.size(); i++) {
      if (!tried.contains(found.get(i))) {
        return true;
      }
    }
    return false;
  }
}
