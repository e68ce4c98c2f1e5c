package io.hyperinfer.processor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.store.Core;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's job log: one JSON record per finished job, appended to a core (a signed Hypercore on the disk
 * store), so what a processor ran can be audited after the fact. A record holds who asked, for which model, how it
 * ended, token counts and timings, never the prompt or the generated text. Writing the log never fails a job: an
 * append error is logged and the answer still goes out. Thread-safe (the core serialises appends).
 */
final class JobLog {
  /** Name of the core in the processor's store. */
  static final String CORE = "jobs";
  static final int MAX_RECENT = 200;

  private static final Logger LOG = LoggerFactory.getLogger(JobLog.class);
  private final Core core;
  private final Clock clock;

  JobLog(Core core, Clock clock) {
    this.core = core;
    this.clock = clock;
  }

  /** Records a job that produced an end frame ({@code end} as sent to the gateway). */
  void completed(String gateway, JsonNode end) {
    ObjectNode r = base(gateway, end.path("model").asText(), "completed");
    JsonNode usage = end.path("usage");
    r.put("promptTokens", usage.path("promptTokens").asLong()).put("completionTokens",
        usage.path("completionTokens").asLong());
    r.set("timings", end.path("timings"));
    append(r);
  }

  /** Records a job that ended without an answer: {@code outcome} is "cancelled" or "failed" with its error code. */
  void ended(String gateway, String model, String outcome, String code) {
    ObjectNode r = base(gateway, model, outcome);
    if (code != null) {
      r.put("code", code);
    }
    append(r);
  }

  long length() {
    return core.length();
  }

  /** The last {@code n} records (at most {@value #MAX_RECENT}), oldest first. */
  List<JsonNode> recent(int n) {
    long length = core.length();
    long from = Math.max(0, length - Math.clamp(n, 0, MAX_RECENT));
    List<JsonNode> out = new ArrayList<>();
    for (long i = from; i < length; i++) {
      out.add(Json.parse(core.get(i)));
    }
    return out;
  }

  private ObjectNode base(String gateway, String model, String outcome) {
    return Json.object().put("at", clock.instant().toString()).put("gateway", gateway).put("model", model)
        .put("outcome", outcome);
  }

  private void append(ObjectNode record) {
    try {
      core.append(Json.toBytes(record));
    } catch (RuntimeException e) {
      LOG.warn("job log append failed ({}); the job itself was answered", e.getMessage());
    }
  }
}
