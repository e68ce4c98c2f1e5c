package io.hyperinfer.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hyperinfer.processor.engine.CancelSignal;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(5)
class AdmissionTest {
  @Test
  void shouldRefuseWithBusyWhenRunningAndQueueAreFull() throws Exception {
    Admission admission = new Admission(1, 1);
    Admission.Slot first = admission.acquire(new CancelSignal());
    CompletableFuture<Admission.Slot> waiting =
        CompletableFuture.supplyAsync(() -> admission.acquire(new CancelSignal()));
    Awaitility.await().until(() -> admission.queued() == 1);
    ProcessorException busy = assertThrows(ProcessorException.class, () -> admission.acquire(new CancelSignal()));
    assertEquals("ERR_BUSY", busy.wireCode());
    assertEquals(1, admission.inFlight());
    first.close();
    first.close();
    Admission.Slot second = waiting.get();
    assertNotNull(second);
    assertEquals(0, admission.queued());
    second.close();
    assertEquals(0, admission.inFlight());
  }

  @Test
  void shouldLeaveQueueWhenCancelledWhileWaiting() throws Exception {
    Admission admission = new Admission(1, 1);
    Admission.Slot first = admission.acquire(new CancelSignal());
    CancelSignal cancel = new CancelSignal();
    CompletableFuture<Admission.Slot> waiting = CompletableFuture.supplyAsync(() -> admission.acquire(cancel));
    Awaitility.await().until(() -> admission.queued() == 1);
    cancel.cancel();
    assertNull(waiting.get());
    assertEquals(0, admission.queued());
    first.close();
    assertEquals(1, admission.concurrency());
    assertEquals(1, admission.queueLimit());
    assertThrows(IllegalArgumentException.class, () -> new Admission(0, 0));
  }
}
