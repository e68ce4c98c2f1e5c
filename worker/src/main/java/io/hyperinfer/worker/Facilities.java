package io.hyperinfer.worker;

import io.hyperinfer.worker.net.NetFacility;
import io.hyperinfer.worker.store.StoreFacility;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What a worker is built from besides its context and config: the net and store facilities, the clock every timed
 * decision reads, the meter registry, and any extra facilities. Immutable; the withers return copies.
 */
public record Facilities(NetFacility net, StoreFacility store, Clock clock, MeterRegistry metrics,
    List<Facility> extra) {
  public Facilities {
    Objects.requireNonNull(net, "net");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(metrics, "metrics");
    extra = List.copyOf(extra);
  }

  /** Net and store with the system UTC clock and a fresh Prometheus registry. */
  public static Facilities of(NetFacility net, StoreFacility store) {
    return new Facilities(net, store, Clock.systemUTC(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
        List.of());
  }

  public Facilities withClock(Clock c) {
    return new Facilities(net, store, c, metrics, extra);
  }

  public Facilities withMetrics(MeterRegistry m) {
    return new Facilities(net, store, clock, m, extra);
  }

  public Facilities with(Facility facility) {
    List<Facility> more = new ArrayList<>(extra);
    more.add(facility);
    return new Facilities(net, store, clock, metrics, more);
  }

  /** Every facility, in start order (ascending priority; ties keep store, net, extras order). */
  public List<Facility> inStartOrder() {
    List<Facility> all = new ArrayList<>();
    all.add(store);
    all.add(net);
    all.addAll(extra);
    all.sort(Comparator.comparingInt(Facility::priority));
    return all;
  }
}
