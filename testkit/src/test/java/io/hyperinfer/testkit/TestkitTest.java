package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

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
  void shouldScaleCasesWithTheFuzzCountWhenATierRunsFewer() {
    String before = System.getProperty("fuzz.iterations");
    try {
      System.setProperty("fuzz.iterations", "100000");
      assertEquals(2_000, Seeds.cases(2_000, 50));
      System.setProperty("fuzz.iterations", "10000");
      assertEquals(200, Seeds.cases(2_000, 50));
      assertEquals(50, Seeds.cases(300, 50), "never below the floor");
      System.setProperty("fuzz.iterations", "1000000");
      assertEquals(20_000, Seeds.cases(2_000, 50), "fuzz-long runs more");
    } finally {
      if (before == null) {
        System.clearProperty("fuzz.iterations");
      } else {
        System.setProperty("fuzz.iterations", before);
      }
    }
  }

  @Test
  void shouldFindSharedVectorsWhenRunFromAModule() {
    assertTrue(Files.isDirectory(ProjectPaths.interop()));
    assertEquals(32, Vectors.hex("/keys/seed 01*32 publicKey").length);
    assertThrows(IllegalArgumentException.class, () -> Vectors.hex("/no/such/vector"));
  }
}
