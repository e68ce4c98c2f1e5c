package io.hyperinfer.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.LauncherException;
import io.hyperinfer.encoding.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@link Launcher} and {@link Child} on real processes of the packaged jar (the dht commands need no network). */
@Order(8) // app/pom.xml: the run order of the two test threads
@Timeout(120)
class ChildIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final List<Child> started = new ArrayList<>();

  @TempDir
  Path dir;

  private Child start(String name, String... args) throws Exception {
    Child c = TestLaunchers.jar().start(name, List.of(args), dir.resolve("logs").resolve(name + ".log"));
    started.add(c);
    return c;
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(Child::kill);
  }

  @Test
  void shouldAwaitLinesLogThemAndStopCleanlyWhenSentSigterm() throws Exception {
    Child boot = start("boot", "dht", "bootstrap", "--host", "127.0.0.1", "--port", "0");
    HostPort at = boot.awaitLine(ProcessNetwork::listening, WAIT, "its address");
    assertTrue(at.port() > 0);
    String id = boot.awaitLine(l -> Optional.of(l).filter(s -> s.startsWith("persistent id ")), WAIT, "its id");
    assertEquals(List.of("listening on 127.0.0.1:" + at.port(), id), boot.lines(), "lines already seen are kept");
    assertEquals(at, boot.awaitLine(ProcessNetwork::listening, WAIT, "its address again"));
    assertTrue(boot.isAlive());
    assertTrue(boot.exitStatus().isEmpty());
    assertEquals(0, boot.stop(WAIT), "SIGTERM is a clean stop");
    assertEquals(Optional.of(0), boot.exitStatus());
    assertEquals(boot, boot.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS), "onExit completes with it");
    List<String> log = Files.readAllLines(boot.log());
    assertTrue(log.contains(id) && log.getLast().equals("stopped"), log.toString());
    assertTrue(boot.toString().startsWith("boot (pid " + boot.pid() + ")"));
  }

  @Test
  void shouldReportExitStatusAndLastLogLineWhenTheChildDiesBeforeTheLine() throws Exception {
    Child bad = start("bad", "dht", "bootstrap", "--host", "localhost");
    LauncherException e = assertThrows(LauncherException.class,
        () -> bad.awaitLine(ProcessNetwork::listening, WAIT, "its address"));
    assertEquals(LauncherException.Code.CHILD_FAILED, e.code());
    assertEquals(bad, e.child().orElseThrow());
    assertEquals("bad exited with status 2 before printing its address: error: --host must be an IPv4 address, not "
        + "'localhost' (log: " + bad.log() + ")", e.getMessage());
    assertFalse(bad.isAlive());
  }

  @Test
  void shouldKillWithSigkillAndTimeOutWaitingForALineThatNeverComes() throws Exception {
    Child boot = start("boot", "dht", "bootstrap", "--host", "127.0.0.1", "--port", "0");
    boot.awaitLine(ProcessNetwork::listening, WAIT, "its address");
    LauncherException silent = assertThrows(LauncherException.class,
        () -> boot.awaitLine(l -> Optional.of(l).filter("never"::equals), Duration.ofSeconds(1), "'never'"));
    assertTrue(silent.getMessage().startsWith("boot did not print 'never' within 1 s"), silent.getMessage());
    assertEquals(137, boot.kill());
    assertFalse(Files.readString(boot.log()).contains("stopped"), "SIGKILL leaves no time to stop");
  }
}
