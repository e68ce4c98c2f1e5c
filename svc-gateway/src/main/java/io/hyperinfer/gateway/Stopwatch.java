package io.hyperinfer.gateway;

import io.hyperinfer.contract.infer.Timings;

/**
 * Times the gateway's phases of one request (checking credentials, admission, choosing a processor, the processor's
 * own handling) and extends the processor's {@link Timings} with them. Confined to the request's thread.
 */
final class Stopwatch {
  private final long start = System.nanoTime();
  private long mark = start;
  private double auth = Timings.NOT_MEASURED;
  private double queue = Timings.NOT_MEASURED;
  private double routing = Timings.NOT_MEASURED;

  private double lap() {
    long now = System.nanoTime();
    double ms = (now - mark) / 1e6;
    mark = now;
    return ms;
  }

  void authDone() {
    auth = lap();
  }

  void queueDone() {
    queue = lap();
  }

  /** Routing time adds up over retries. */
  void routingDone() {
    routing = (Double.isNaN(routing) ? 0 : routing) + lap();
  }

  /** Marks the start of the processor phase (after a retry, too). */
  void restartPhase() {
    lap();
  }

  /** The gateway's phases measured so far (those not reached are left out), for a request that ends early. */
  Timings soFar() {
    return Timings.processor(Timings.NOT_MEASURED, Timings.NOT_MEASURED, Timings.NOT_MEASURED)
        .withGateway(auth, queue, routing, Timings.NOT_MEASURED, (System.nanoTime() - start) / 1e6);
  }

  /** The processor's timings with the gateway's phases added; {@code processorMs} as the relay measured it. */
  Timings finish(Timings fromProcessor, double processorMs) {
    return fromProcessor.withGateway(auth, queue, routing, processorMs, (System.nanoTime() - start) / 1e6);
  }
}
