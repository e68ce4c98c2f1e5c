package io.hyperinfer.gateway;

import io.hyperinfer.gateway.routing.ProcessorRef;
import io.hyperinfer.gateway.routing.Router;
import io.hyperinfer.worker.net.CancelSignal;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.net.PeerRef;
import java.util.List;
import java.util.Set;

/**
 * The processors announcing a model's topic, for one attempt of a relay. The first attempt may answer from the lookup
 * cache, but an empty answer is checked with a fresh lookup before the model is declared unknown
 * (ERR_MODEL_NOT_FOUND); later attempts always look up afresh. Also holds the processor error codes no retry can fix.
 * Stateless.
 */
final class ProcessorCandidates {
  /** Processor errors that another processor would answer the same way. */
  static final Set<String> FINAL = Set.of(NetException.ERR_BAD_REQUEST, NetException.ERR_CANCELLED,
      "ERR_UNSUPPORTED", "ERR_CONTEXT_LENGTH_EXCEEDED");

  private ProcessorCandidates() {}

  /**
   * The processor for attempt {@code attempt} (1-based), chosen by {@code router} among the announcers not yet in
   * {@code tried} and added to it; null when none may take it. ERR_CANCELLED when the client gave up first.
   */
  static ProcessorRef next(NetFacility net, Router router, String topic, int attempt, Set<ProcessorRef> tried,
      CancelSignal clientCancel, Stopwatch watch) {
    if (clientCancel.isCancelled()) {
      throw NetException.cancelled();
    }
    var chosen = router.choose(find(net, topic, attempt), tried);
    watch.routingDone();
    chosen.ifPresent(tried::add);
    return chosen.orElse(null);
  }

  /** Every attempt failed ({@code last}, when one was made) or no processor could be chosen. */
  static NetException exhausted(NetException last) {
    if (last != null) {
      return new NetException(GatewayException.Code.PROCESSOR_FAILED.wire(), "no processor could serve the request ("
          + last.code() + ": " + last.getMessage() + ")");
    }
    return new NetException(GatewayException.Code.NO_PROCESSOR.wire(), "no processor is available for this model");
  }

  static List<ProcessorRef> find(NetFacility net, String topic, int attempt) {
    List<ProcessorRef> found = lookup(net, topic, attempt == 1);
    if (found.isEmpty() && attempt == 1) {
      found = lookup(net, topic, false);
      if (found.isEmpty()) {
        String model = topic.substring(topic.lastIndexOf('/') + 1);
        throw new NetException(GatewayException.Code.MODEL_NOT_FOUND.wire(), "the model '" + model
            + "' does not exist on this network (no processor serves it)");
      }
    }
    return found;
  }

  private static List<ProcessorRef> lookup(NetFacility net, String topic, boolean cached) {
    return net.lookup(topic, cached).join().stream().map(PeerRef::publicKey).map(ProcessorRef::of).toList();
  }
}
