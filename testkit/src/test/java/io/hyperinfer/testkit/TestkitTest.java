package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestkitTest {
  @Test
  void shouldMoveOnlyWhenAdvancedWhenClockIsManual() {
    ManualClock clock = new ManualClock(Instant.EPOCH);
    assertEquals(Instant.EPOCH, clock.instant());
    clock.advance(Duration.ofSeconds(5));
    assertEquals(5_000, clock.millis());
    clock.set(Instant.parse("2030-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2030-01-01T00:00:00Z"), clock.withZone(ZoneOffset.ofHours(2)).instant());
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofSeconds(-1)));
  }

  @Test
  void shouldReplaySameBytesWhenSeedIsFixed() {
    System.setProperty("test.seed", "42");
    try {
      byte[] a = Seeds.bytes(Seeds.random("a"), 16);
      byte[] b = Seeds.bytes(Seeds.random("b"), 16);
      assertArrayEquals(a, b);
      assertArrayEquals(Seeds.bytes(new SplittableRandom(42), 16), a);
    } finally {
      System.clearProperty("test.seed");
    }
    assertTrue(Seeds.fuzzIterations() >= 1);
  }

  @Test
  void shouldFindSharedVectorsWhenRunFromAModule() {
    assertTrue(Files.isDirectory(ProjectPaths.interop()));
    assertEquals(32, Vectors.hex("/keys/seed 01*32 publicKey").length);
    assertThrows(IllegalArgumentException.class, () -> Vectors.hex("/no/such/vector"));
  }

  @Test
  void shouldEchoThroughNodeWhenJsPeerRuns(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("echo.js");
    Files.writeString(script, """
        require('b4a')
        console.log('ready')
        process.stdin.on('data', d => { console.log('echo:' + d.toString().trim()); process.exit(3) })
        """);
    try (JsProcess peer = JsPeers.start(script)) {
      peer.awaitLine("ready"::equals, Duration.ofSeconds(30));
      peer.send("hi");
      assertEquals("echo:hi", peer.awaitLine(l -> l.startsWith("echo:"), Duration.ofSeconds(30)));
      assertEquals(3, peer.awaitExit(Duration.ofSeconds(30)));
      assertTrue(!peer.isAlive());
      assertThrows(AssertionError.class, () -> peer.awaitLine(l -> true, Duration.ofSeconds(5)));
    }
  }

  @Test
  void shouldReportStderrWhenPeerFails(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("fail.js");
    Files.writeString(script, "console.error('boom'); process.exit(1)\n");
    try (JsProcess peer = JsPeers.start(script)) {
      AssertionError e = assertThrows(AssertionError.class, () -> peer.awaitLine(l -> true, Duration.ofSeconds(30)));
      assertEquals(1, peer.awaitExit(Duration.ofSeconds(30)));
      assertTrue(peer.stderr().contains("boom"), e.getMessage());
    }
  }
}
