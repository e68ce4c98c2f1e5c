package io.hyperinfer.processor.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
}
