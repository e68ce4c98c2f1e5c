package io.hyperinfer.worker;

import io.hyperinfer.crypto.KeyPair;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * What a facility gets at start. {@code identity} loads the worker's key pair on first use, from the store facility,
 * so only facilities starting after the store may call it.
 */
public record FacilityContext(WorkerContext worker, Config config, Clock clock, MeterRegistry metrics,
    Supplier<KeyPair> identity) {}
