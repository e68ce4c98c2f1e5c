package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code up} starts and stops its network without the virtual-thread scheduler. An {@code up} left idle for 30 s used
 * to hang on SIGTERM: the pumps of its children's output, virtual threads blocked in pipe reads, each pinned a carrier
 * thread, the scheduler retired its idle spare carriers after 30 s, and the threads its stop then started were never
 * scheduled (no worker got SIGTERM; its 30 s limit ended it with status 0). Here {@code up}'s JVM runs with one
 * carrier and no spare from its start, the state those 30 s reached.
 */
@Order(10) // app/pom.xml: the run order of the two test threads
@Timeout(300)
class UpStopIT {
  @Test
  void shouldStopEveryProcessWhenNoVirtualThreadCanBeScheduled() throws Exception {
    // no embedding engine: the processor starts sooner, and what is stopped is the same six processes
    RunningUp up = new RunningUp(Files.createTempDirectory("up-stop-it-"), List.of("--embeddings", "none"),
        List.of("-Djdk.virtualThreadScheduler.parallelism=1", "-Djdk.virtualThreadScheduler.maxPoolSize=1"));
    List<ProcessHandle> started = up.processes();

    up.close();

    List<String> lines = up.up.lines();
    assertEquals(6, started.size(), "bootstrap, two DHT nodes, Auth, a Gateway, a Processor: " + started);
    for (String name : List.of("bootstrap", "dht-1", "dht-2", "gateway", "auth", "processor-1")) {
      assertTrue(lines.contains("  " + name + " exited with status 0"), name + ":\n" + String.join("\n", lines));
    }
  }
}
