package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.NetworkNames;
import io.hyperinfer.contract.infer.ProcessorStatus;
import io.hyperinfer.gateway.routing.ProcessorRef;
import io.hyperinfer.gateway.routing.Router;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerReply;
import io.hyperinfer.worker.net.RequestOptions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks every processor for its {@code status} at a fixed interval and feeds the answers to the {@link Router}: queued
 * requests and health; a processor that stops answering counts as unhealthy until it answers again. One this gateway
 * has never heard from keeps the router's optimistic default instead: right after a gateway starts, its first polls
 * wait on fresh connects and may miss every processor, which would refuse requests that the processors could serve
 * (a dead one is still caught by the relay's failover and the circuit breaker). Owns one daemon thread. Thread-safe.
 */
final class ProcessorMonitor implements AutoCloseable {
  private final NetFacility net;
  private final Router router;
  private final Duration interval;
  /** Processors that answered a poll once; as many as announce on the processor topic. */
  private final Set<ProcessorRef> heardFrom = ConcurrentHashMap.newKeySet();
  private Periodic timer;

  ProcessorMonitor(NetFacility net, Router router, Duration interval) {
    this.net = net;
    this.router = router;
    this.interval = interval;
  }

  void start() {
    if (interval.isZero()) {
      return;
    }
    timer = Periodic.start("gateway-processor-monitor", interval, this::poll);
  }

  /** One round: returns how many processors answered. */
  int poll() {
    int answered = 0;
    RequestOptions options = RequestOptions.timeout(interval.isZero() ? Duration.ofSeconds(1) : interval);
    for (PeerReply r : net.topicRequestAll(NetworkNames.PROCESSOR_TOPIC, NetworkNames.STATUS, Json.object(), options)
        .join()) {
      ProcessorRef p = ProcessorRef.of(r.peer().publicKey());
      ProcessorStatus status = r.isOk() ? parse(r.result()) : null;
      if (status != null) {
        answered++;
        heardFrom.add(p);
        router.onReport(p, status.queued(), status.healthy());
      } else if (heardFrom.contains(p)) {
        router.onReport(p, 0, false);
      }
    }
    return answered;
  }

  /** A status that does not parse counts as no answer: the processor is unhealthy until it answers properly. */
  private static ProcessorStatus parse(JsonNode json) {
    try {
      return ProcessorStatus.fromJson(json);
    } catch (NetException e) {
      return null;
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.close();
    }
  }
}
