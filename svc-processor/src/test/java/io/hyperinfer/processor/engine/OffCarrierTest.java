package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.testkit.Carriers;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OffCarrierTest {
  private static <T> T onVirtualThread(Supplier<T> task) throws Exception {
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      return CompletableFuture.supplyAsync(task, threads).get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void shouldRunOnAPlatformThreadWhenTheCallerIsVirtual() throws Exception {
    Thread runner = onVirtualThread(() -> OffCarrier.call("probe", Thread::currentThread));
    assertFalse(runner.isVirtual());
    assertEquals("probe", runner.getName());
  }

  @Test
  void shouldRunInPlaceWhenTheCallerIsAPlatformThread() {
    assertSame(Thread.currentThread(), OffCarrier.call("probe", Thread::currentThread));
  }

  @Test
  void shouldThrowTheCallsOwnExceptionWhenItFails() throws Exception {
    IllegalArgumentException bad = new IllegalArgumentException("bad model");
    UnsatisfiedLinkError missing = new UnsatisfiedLinkError("no library");
    assertSame(bad, onVirtualThread(() -> assertThrows(RuntimeException.class,
        () -> OffCarrier.call("probe", () -> { throw bad; }))));
    assertSame(missing, onVirtualThread(() -> assertThrows(Error.class,
        () -> OffCarrier.call("probe", () -> { throw missing; }))));
    assertSame(bad, assertThrows(RuntimeException.class, () -> OffCarrier.call("probe", () -> { throw bad; })));
    IllegalStateException wrapped = assertThrows(IllegalStateException.class,
        () -> OffCarrier.call("probe", () -> { throw new IOException("unreadable"); }));
    assertTrue(wrapped.getCause() instanceof IOException);
  }

  @Test
  void shouldLeaveEveryCarrierFreeWhileCallsRunWhenTheCallersAreVirtual() throws Exception {
    AtomicBoolean freshRan = new AtomicBoolean();
    // Each call spins, never parking, until a fresh virtual thread has run. Run on their callers' carriers, with every
    // carrier held by one, that thread could not run and each call would give up after its limit.
    List<CompletableFuture<Boolean>> calls = Carriers.onEveryCarrier(
        () -> OffCarrier.call("spin", () -> Carriers.spinUntil(freshRan, 10_000)));
    Thread.ofVirtual().start(() -> freshRan.set(true));
    for (CompletableFuture<Boolean> call : calls) {
      assertTrue(call.get(30, TimeUnit.SECONDS), "a fresh virtual thread ran while every call was running");
    }
  }
}
