package io.hyperinfer.app.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.launch.Child;
import io.hyperinfer.app.launch.ProcessNetwork;
import io.hyperinfer.app.launch.ReadyLine;
import io.hyperinfer.app.launch.TestLaunchers;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.testkit.ProjectPaths;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker commands as users run them: processes of the packaged jar reading the example config folder
 * ({@code config/examples/local}), joining a bootstrap node, printing their ready line, stopping cleanly on SIGTERM;
 * and the one-sentence failures.
 */
@Order(11) // app/pom.xml: the run order of the two test threads
@Timeout(180)
class WorkerCommandsIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Path EXAMPLE = ProjectPaths.root().resolve("config/examples/local");
  private final List<Child> started = new ArrayList<>();
  private String bootstrap;

  @TempDir
  Path dir;

  private Child start(String name, String... args) throws Exception {
    Child c = TestLaunchers.jar().start(name, List.of(args), dir.resolve("logs").resolve(name + ".log"));
    started.add(c);
    return c;
  }

  @BeforeEach
  void startBootstrapNode() throws Exception {
    Child boot = start("boot", "dht", "bootstrap", "--host", "127.0.0.1", "--port", "0");
    HostPort at = boot.awaitLine(ProcessNetwork::listening, WAIT, "its address");
    bootstrap = at.host() + ":" + at.port();
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(Child::kill);
  }

  @Test
  void shouldServeFromTheExampleConfigAndStopCleanlyWhenSentSigterm() throws Exception {
    Path data = dir.resolve("home");
    Child key = start("key", "gateway", "--config", EXAMPLE.toString(), "--data-dir", data.toString(),
        "--bootstrap", bootstrap, "--print-key");
    String printed = key.awaitLine(l -> Optional.of(l).filter(s -> s.matches("[0-9a-f]{64}")), WAIT, "the key");
    assertEquals(0, key.exitStatusOnceDrained(), "--print-key prints the key and exits on its own");

    Child gateway = start("gateway", "gateway", "--config", EXAMPLE.toString(), "--env", "development",
        "--data-dir", data.toString(), "--bootstrap", bootstrap, "--ops-port", "0");
    Child processor = start("processor", "processor", "--config", EXAMPLE.toString(), "--data-dir",
        data.toString(), "--bootstrap", bootstrap, "--allow-gateway", printed, "--embeddings", "none");
    ReadyLine g = gateway.awaitReady(WAIT);
    assertEquals("gateway", g.type());
    assertEquals(printed, g.publicKey(), "the key --print-key printed is the one it serves with");
    assertTrue(g.opsPort().isPresent());
    assertEquals(DataDirs.under(data).workerStore("gateway", "1"), g.store());
    ReadyLine p = processor.awaitReady(WAIT);
    assertEquals("processor", p.type());
    assertEquals("serving builtin-echo", processor.awaitLine(l -> Optional.of(l).filter(s -> s.startsWith("serving")),
        WAIT, "its models"));

    assertEquals(0, processor.stop(WAIT), "SIGTERM is a clean stop");
    assertEquals(0, gateway.stop(WAIT));
    assertEquals("stopped", Files.readAllLines(gateway.log()).getLast());
    assertTrue(Files.isDirectory(g.store()), "the store outlives the process");
  }

  @Test
  void shouldFailWithOneSentenceWhenTheConfigIsBrokenOrTheStoreIsInUse() throws Exception {
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"auth\": ");
    Child bad = start("bad", "auth", "--config", broken.toString(), "--data-dir", dir.resolve("d").toString(),
        "--bootstrap", bootstrap);
    assertEquals(1, bad.onExit().get().exitStatus().orElseThrow());
    List<String> log = Files.readAllLines(bad.log()).stream().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, log.size(), String.join("\n", Files.readAllLines(bad.log())));
    assertTrue(log.getFirst().contains("broken.json"), log.getFirst());

    Child first = start("first", "auth", "--data-dir", dir.resolve("d").toString(), "--bootstrap", bootstrap);
    first.awaitReady(WAIT);
    Child second = start("second", "auth", "--data-dir", dir.resolve("d").toString(), "--bootstrap", bootstrap);
    assertEquals(1, second.onExit().get().exitStatus().orElseThrow());
    String last = second.logTail(1).getFirst();
    assertTrue(last.startsWith("error: ") && !last.contains("Exception"), last);
    assertEquals(0, first.stop(WAIT));

    Child lost = start("lost", "processor", "--data-dir", dir.resolve("nowhere").toString());
    assertEquals(1, lost.onExit().get().exitStatus().orElseThrow());
    assertTrue(lost.logTail(1).getFirst().contains("hyperinfer up"), lost.logTail(1).toString());
    assertFalse(Files.readString(lost.log()).contains("\tat "), "no stack trace");
  }
}
