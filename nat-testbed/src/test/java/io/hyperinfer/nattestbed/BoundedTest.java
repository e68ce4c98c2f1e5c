package io.hyperinfer.nattestbed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The Java peer's time limits: a stuck step is named with its thread, and the caller goes on. */
class BoundedTest {
  @Test
  void shouldNameTheStepAndShowItsThreadWhenItOutlivesItsLimit() {
    CompletableFuture<byte[]> never = new CompletableFuture<>();
    try {
      Bounded.Stuck stuck = assertThrows(Bounded.Stuck.class,
          () -> Bounded.within("NO_ECHO_TIMEOUT", Duration.ofMillis(50), never::join));

      assertEquals("NO_ECHO_TIMEOUT", stuck.code());
      assertTrue(stuck.getMessage().contains("natpeer-NO_ECHO_TIMEOUT WAITING"), stuck.getMessage());
      assertTrue(stuck.getMessage().contains("CompletableFuture"), "the stuck thread's frames: " + stuck.getMessage());
    } finally {
      never.complete(null); // lets the abandoned thread end
    }
  }

  @Test
  void shouldReturnTheResultOrRethrowTheStepsOwnFailure() throws Exception {
    assertEquals("echo", Bounded.within("NO_ECHO_TIMEOUT", Duration.ofSeconds(10), () -> "echo"));
    IllegalStateException failure = new IllegalStateException("stream destroyed");

    assertSame(failure, assertThrows(IllegalStateException.class, () -> Bounded.run("CLOSE_TIMEOUT",
        Duration.ofSeconds(10), () -> {
          throw failure;
        })));
  }
}
