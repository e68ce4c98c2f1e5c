package io.hyperinfer.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.worker.metrics.RpcMetrics;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.StreamSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * One log line per {@code infer} request when it ends, with its latency breakdown (on logger {@value #LOGGER}: model,
 * key id, outcome, processor, attempts, tokens, the gateway-observed time to first token and every {@link Timings}
 * field; in JSON logs each a field of its own), and the inference meters: {@value #REQUESTS} (model, outcome),
 * {@value #TOKENS} (model, kind prompt or completion), {@value #TTFT} and {@value #DURATION} timers, and
 * {@value #RATE_LIMITED} (limit). A model becomes a tag value once a processor served it, at most
 * {@value #MAX_MODELS} of them, others count as {@code other}, so callers naming made-up models cannot grow the
 * registry. Thread-safe.
 */
final class InferenceLog {
  static final String LOGGER = "io.hyperinfer.inference";
  static final String REQUESTS = "hyperinfer.inference.requests";
  static final String TOKENS = "hyperinfer.inference.tokens";
  static final String TTFT = "hyperinfer.inference.ttft";
  static final String DURATION = "hyperinfer.inference.duration";
  static final String RATE_LIMITED = "hyperinfer.ratelimit.rejected";
  static final int MAX_MODELS = 64;
  private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

  private final MeterRegistry registry;
  private final Set<String> models = ConcurrentHashMap.newKeySet();

  InferenceLog(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Starts timing one request; {@code client} is the caller's stream. */
  Entry begin(StreamSink client) {
    return new Entry(client);
  }

  private String modelTag(String model, boolean served) {
    if (model == null) {
      return "none";
    }
    if (served && models.size() < MAX_MODELS) {
      models.add(model);
    }
    return models.contains(model) ? model : "other";
  }

  /** One request's record: the watch over its phases, the client stream it times, and what it came to. */
  final class Entry {
    private final Stopwatch watch = new Stopwatch();
    private final long start = System.nanoTime();
    private final TimedSink sink;
    private volatile String model;
    private volatile String keyId;

    private Entry(StreamSink client) {
      this.sink = new TimedSink(client);
    }

    Stopwatch watch() {
      return watch;
    }

    /** The client stream to write to; it notes when the first chunk went out. */
    StreamSink sink() {
      return sink;
    }

    void caller(String model, String keyId) {
      this.model = model;
      this.keyId = keyId;
    }

    /** A limit refused the request. */
    void rateLimited(GatewayException e) {
      Counter.builder(RATE_LIMITED).tag("limit", String.valueOf(e.details().getOrDefault("limit", e.wireCode())))
          .register(registry).increment();
    }

    /** The request was served: the processor's usage and the full timings. */
    void served(String processor, int attempts, Usage usage, Timings timings) {
      String tag = modelTag(model, true);
      Counter.builder(TOKENS).tag("model", tag).tag("kind", "prompt").register(registry)
          .increment(usage.promptTokens());
      Counter.builder(TOKENS).tag("model", tag).tag("kind", "completion").register(registry)
          .increment(usage.completionTokens());
      double ttftMs = sink.ttftMs(start);
      if (ttftMs >= 0) {
        Timer.builder(TTFT).tag("model", tag).serviceLevelObjectives(RpcMetrics.LATENCY_BUCKETS).register(registry)
            .record(Duration.ofNanos((long) (ttftMs * 1e6)));
      }
      finish("ok", tag, timings, ttftMs, LOG.atInfo().addKeyValue("processor", processor)
          .addKeyValue("attempts", attempts).addKeyValue("promptTokens", usage.promptTokens())
          .addKeyValue("completionTokens", usage.completionTokens()));
    }

    /** The request failed with {@code error}; what the watch measured so far goes in the line. */
    void failed(Throwable error) {
      String code = error instanceof NetException n ? n.code() : NetException.ERR_INTERNAL;
      finish(code, modelTag(model, false), watch.soFar(), sink.ttftMs(start), LOG.atInfo());
    }

    private void finish(String outcome, String tag, Timings timings, double ttftMs, LoggingEventBuilder line) {
      long took = System.nanoTime() - start;
      Counter.builder(REQUESTS).tag("model", tag).tag("outcome", outcome).register(registry).increment();
      Timer.builder(DURATION).tag("model", tag).tag("outcome", outcome)
          .serviceLevelObjectives(RpcMetrics.LATENCY_BUCKETS).register(registry).record(Duration.ofNanos(took));
      StringBuilder text = new StringBuilder("infer ").append(model == null ? "-" : model).append(' ').append(outcome)
          .append(" key ").append(keyId == null ? "-" : keyId);
      line.addKeyValue("model", model).addKeyValue("keyId", keyId).addKeyValue("outcome", outcome);
      if (ttftMs >= 0) {
        line.addKeyValue("ttftMs", round(ttftMs));
        text.append(" ttft ").append(format(ttftMs)).append(" ms");
      }
      JsonNode phases = timings.toJson();
      phases.properties().forEach(p -> {
        line.addKeyValue(p.getKey(), p.getValue().doubleValue());
        text.append(' ').append(p.getKey()).append('=').append(format(p.getValue().doubleValue()));
      });
      line.log(text.toString());
    }
  }

  private static double round(double ms) {
    return Math.round(ms * 1000) / 1000.0;
  }

  private static String format(double ms) {
    return String.format(Locale.ROOT, "%.3f", ms);
  }

  /** The client's stream, noting when its first chunk went out. Thread-safe. */
  private static final class TimedSink implements StreamSink {
    private final StreamSink client;
    private volatile long firstChunk;

    TimedSink(StreamSink client) {
      this.client = client;
    }

    double ttftMs(long start) {
      long at = firstChunk;
      return at == 0 ? -1 : (at - start) / 1e6;
    }

    @Override
    public boolean next(JsonNode chunk) {
      if (firstChunk == 0) {
        firstChunk = System.nanoTime();
      }
      return client.next(chunk);
    }

    @Override
    public void end(JsonNode last) {
      client.end(last);
    }

    @Override
    public void error(NetException error) {
      client.error(error);
    }

    @Override
    public boolean isCancelled() {
      return client.isCancelled();
    }
  }
}
