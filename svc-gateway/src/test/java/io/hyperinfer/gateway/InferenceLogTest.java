package io.hyperinfer.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.hyperinfer.contract.infer.Timings;
import io.hyperinfer.contract.infer.Usage;
import io.hyperinfer.worker.net.NetException;
import io.hyperinfer.worker.net.StreamSink;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InferenceLogTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InferenceLog log = new InferenceLog(registry);

  /** A client stream that keeps what it was sent. */
  private static final class Recorded implements StreamSink {
    final List<String> got = new ArrayList<>();

    @Override
    public boolean next(JsonNode chunk) {
      got.add("next " + chunk.asText());
      return true;
    }

    @Override
    public void end(JsonNode last) {
      got.add("end");
    }

    @Override
    public void error(NetException error) {
      got.add("error " + error.code());
    }

    @Override
    public boolean isCancelled() {
      return false;
    }
  }

  @Test
  void shouldPassEverythingToTheClientWhenTimingItsStream() {
    Recorded client = new Recorded();
    StreamSink sink = log.begin(client).sink();
    sink.next(TextNode.valueOf("a"));
    sink.next(TextNode.valueOf("b"));
    sink.end(null);
    sink.error(NetException.cancelled());
    assertFalse(sink.isCancelled());
    assertEquals(List.of("next a", "next b", "end", "error ERR_CANCELLED"), client.got);
  }

  @Test
  void shouldCapModelTagsWhenCallersNameManyModels() {
    for (int i = 0; i < InferenceLog.MAX_MODELS + 10; i++) {
      InferenceLog.Entry e = log.begin(new Recorded());
      e.caller("model-" + i, null);
      e.served("p", 1, new Usage(1, 2), Timings.processor(0, 1, 2));
    }
    InferenceLog.Entry failed = log.begin(new Recorded());
    failed.caller("never-served", "k1");
    failed.failed(new IllegalStateException("boom"));
    long modelTags = registry.find(InferenceLog.REQUESTS).counters().stream()
        .map(c -> c.getId().getTag("model")).distinct().count();
    assertEquals(InferenceLog.MAX_MODELS + 1, modelTags, "the first 64 served models and 'other'");
    assertEquals(1.0, registry.get(InferenceLog.REQUESTS).tags("model", "other", "outcome", "ERR_INTERNAL").counter()
        .count());
    assertTrue(registry.get(InferenceLog.REQUESTS).tags("model", "other", "outcome", "ok").counter().count() >= 10);
  }
}
