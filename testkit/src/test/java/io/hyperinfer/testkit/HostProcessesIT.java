package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The host processes behind the JS peers and the NAT testbed, failing in every way a peer or a tool can. */
@Timeout(60)
class HostProcessesIT {
  private static JsProcess shell(String script) throws Exception {
    return new JsProcess(new ProcessBuilder("sh", "-c", script).start(), "sh -c " + script);
  }

  @Test
  void shouldReturnOutputWhenHostCommandSucceeds() {
    assertEquals("from stdin\n", HostCommands.run(List.of("sh", "-c", "cat"), "from stdin\n"));
  }

  @Test
  void shouldFailWithExitCodeStdinAndOutputWhenHostCommandFails() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HostCommands.run(List.of("sh", "-c", "echo no such table; exit 3"), "add table x\n"));
    assertTrue(e.getMessage().startsWith("exit 3: sh -c"), e.getMessage());
    assertTrue(e.getMessage().contains("stdin:\nadd table x"), e.getMessage());
    assertTrue(e.getMessage().contains("output:\nno such table"), e.getMessage());
  }

  /** More input than a pipe holds, to a tool that never reads it: the write breaks, the exit code still explains. */
  @Test
  void shouldReportExitCodeWhenToolExitsWithoutReadingItsInput() {
    String input = "x".repeat(1 << 20);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HostCommands.run(List.of("sh", "-c", "echo refused; exit 5"), input));
    assertTrue(e.getMessage().startsWith("exit 5: sh -c"), e.getMessage());
    assertTrue(e.getMessage().contains("output:\nrefused"), e.getMessage());
  }

  @Test
  void shouldFailWithoutStdinSectionWhenNoneWasGiven() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> HostCommands.run(List.of("sh", "-c", "exit 1"), ""));
    assertFalse(e.getMessage().contains("stdin:"), e.getMessage());
  }

  @Test
  void shouldFailWhenHostToolDoesNotExist() {
    UncheckedIOException e = assertThrows(UncheckedIOException.class,
        () -> HostCommands.run(List.of("/nonexistent/tool-for-HostProcessesIT"), ""));
    assertTrue(e.getMessage().startsWith("cannot run"), e.getMessage());
  }

  @Test
  void shouldFindToolsOnPathOnly() {
    assertTrue(HostCommands.which("sh").endsWith("/sh"));
    assertNull(HostCommands.which("no-such-tool-for-HostProcessesIT"));
  }

  @Test
  void shouldFailWithStderrWhenPeerExitsBeforeTheLine() throws Exception {
    try (JsProcess peer = shell("echo starting; echo cannot bind >&2; exit 4")) {
      assertEquals("starting", peer.awaitLine("starting"::equals, Duration.ofSeconds(30)));
      AssertionError e = assertThrows(AssertionError.class,
          () -> peer.awaitLine("ready"::equals, Duration.ofSeconds(30)));
      assertTrue(e.getMessage().contains("exited before the expected line"), e.getMessage());
      assertEquals(4, peer.awaitExit(Duration.ofSeconds(30)));
      assertTrue(e.getMessage().contains("cannot bind") || peer.stderr().contains("cannot bind"), peer.stderr());
    }
  }

  @Test
  void shouldFailWithTimeoutWhenPeerStaysSilent() throws Exception {
    try (JsProcess peer = shell("exec sleep 30")) {
      AssertionError e = assertThrows(AssertionError.class,
          () -> peer.awaitLine(l -> true, Duration.ofMillis(200)));
      assertTrue(e.getMessage().startsWith("timed out waiting for output from sh -c"), e.getMessage());
      AssertionError exit = assertThrows(AssertionError.class, () -> peer.awaitExit(Duration.ofMillis(200)));
      assertTrue(exit.getMessage().contains("did not exit within"), exit.getMessage());
      assertTrue(peer.isAlive());
    }
  }

  @Test
  void shouldKillPeerWhenClosedAndRefuseLinesAfterwards() throws Exception {
    JsProcess peer = shell("while true; do sleep 1 </dev/null; done");
    peer.close();
    assertFalse(peer.isAlive());
    assertThrows(UncheckedIOException.class, () -> {
      for (int i = 0; i < 100; i++) {
        peer.send("line " + i); // the pipe breaks once the buffered bytes meet the dead reader
      }
    });
  }
}
