package io.hyperinfer.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hyperinfer.testkit.ManualClock;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.store.Core;
import io.hyperinfer.worker.store.MemoryStoreFacility;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class JobLogTest {
  @Test
  void shouldNotFailJobWhenLogCannotBeWritten() {
    List<Integer> appends = new ArrayList<>();
    Core broken = new Core() {
      @Override
      public long append(byte[]... blocks) {
        appends.add(blocks.length);
        throw WorkerException.storeFailure("disk full", null);
      }

      @Override
      public byte[] get(long index) {
        throw WorkerException.storeFailure("no block " + index, null);
      }

      @Override
      public long length() {
        return 0;
      }
    };
    JobLog log = new JobLog(broken, new ManualClock());
    log.ended("gw", "m", "failed", "ERR_BUSY");
    log.completed("gw", Json.object().put("model", "m"));
    assertEquals(List.of(1, 1), appends, "each record was tried once");
    assertEquals(0, log.recent(5).size());
  }

  @Test
  void shouldReturnNewestRecordsWhenAskedForRecent() {
    MemoryStoreFacility store = new MemoryStoreFacility();
    store.start(new io.hyperinfer.worker.FacilityContext(new io.hyperinfer.worker.WorkerContext("p", "test", "1"),
        io.hyperinfer.worker.Config.empty(), new ManualClock(), new io.micrometer.core.instrument.simple
        .SimpleMeterRegistry(), io.hyperinfer.crypto.Ed25519::generate));
    ManualClock clock = new ManualClock();
    JobLog log = new JobLog(store.core(JobLog.CORE), clock);
    for (int i = 0; i < 5; i++) {
      log.ended("gw", "m" + i, "cancelled", null);
    }
    assertEquals(5, log.length());
    var recent = log.recent(2);
    assertEquals("m3", recent.get(0).path("model").asText());
    assertEquals("m4", recent.get(1).path("model").asText());
    assertEquals(clock.instant().toString(), recent.get(1).path("at").asText());
    assertEquals(0, log.recent(-3).size());
  }
}
