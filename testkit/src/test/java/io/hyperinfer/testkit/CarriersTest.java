package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CarriersTest {
  @Test
  void shouldRunTheTaskOnEveryCarrierWhenAsked() throws Exception {
    List<CompletableFuture<Boolean>> calls = Carriers.onEveryCarrier(() -> Thread.currentThread().isVirtual());

    assertEquals(Carriers.count(), calls.size());
    for (CompletableFuture<Boolean> call : calls) {
      assertTrue(call.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void shouldFailTheCallWithTheTasksErrorWhenTheTaskThrows() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    CompletableFuture<Object> call = Carriers.onVirtualThreads(1, () -> {
      throw boom;
    }).getFirst();

    assertSame(boom, assertThrows(ExecutionException.class, () -> call.get(30, TimeUnit.SECONDS)).getCause());
  }

  @Test
  void shouldStopSpinningWhenTheFlagIsSetOrTheLimitPasses() {
    assertTrue(Carriers.spinUntil(new AtomicBoolean(true), 0));
    assertFalse(Carriers.spinUntil(new AtomicBoolean(false), 1));
  }
}
