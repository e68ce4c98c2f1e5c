package io.hyperinfer.udx;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.udx.NetworkInterfaces.Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The interface watcher on a real loop (no sockets), fed by a source the test changes. */
class NetworkInterfacesTest {
  private static final Address LO = new Address("lo", "127.0.0.1", 4, true);
  private static final Address ETH = new Address("eth0", "10.9.0.2", 4, false);
  private static final Address WIFI = new Address("wlan0", "192.168.7.3", 4, false);
  private static final Duration FAST = Duration.ofMillis(5);

  private final Udx udx = Udx.create();

  @AfterEach
  void close() {
    udx.close();
  }

  @Test
  void shouldReportTheNewSortedListWhenAnAddressAppearsOrGoes() {
    AtomicReference<List<Address>> now = new AtomicReference<>(List.of(LO, ETH));
    List<List<Address>> changes = new CopyOnWriteArrayList<>();
    try (NetworkInterfaces w = NetworkInterfaces.watch(udx.loop(), now::get, FAST, changes::add)) {
      assertEquals(List.of(ETH, LO), w.interfaces(), "the first read is the baseline, sorted");

      now.set(List.of(WIFI, LO, ETH));
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 1);
      assertEquals(List.of(ETH, LO, WIFI), changes.get(0));

      now.set(List.of(LO));
      await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 2);
      assertEquals(List.of(LO), changes.get(1));
      assertEquals(List.of(LO), w.interfaces());
    }
  }

  @Test
  void shouldStayQuietWhenOnlyTheOrderChangesOrNothingDoes() {
    AtomicInteger reads = new AtomicInteger();
    List<List<Address>> changes = new CopyOnWriteArrayList<>();
    NetworkInterfaces.Source shuffling = () -> reads.incrementAndGet() % 2 == 0 ? List.of(LO, ETH) : List.of(ETH, LO);
    try (NetworkInterfaces w = NetworkInterfaces.watch(udx.loop(), shuffling, FAST, changes::add)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> reads.get() > 20);
      assertTrue(changes.isEmpty(), changes.toString());
    }
  }

  @Test
  void shouldKeepPollingWhenTheSourceThrowsAndStopWhenClosed() {
    AtomicInteger reads = new AtomicInteger();
    AtomicReference<List<Address>> now = new AtomicReference<>(List.of(LO));
    List<List<Address>> changes = new CopyOnWriteArrayList<>();
    NetworkInterfaces w = NetworkInterfaces.watch(udx.loop(), () -> {
      if (reads.incrementAndGet() == 2) {
        throw new IllegalStateException("unreadable once");
      }
      return now.get();
    }, FAST, changes::add);
    now.set(List.of(LO, ETH));
    await().atMost(Duration.ofSeconds(10)).until(() -> changes.size() == 1);

    w.close();
    int after = reads.get();
    now.set(List.of(WIFI));
    int[] probe = new int[1];
    udx.loop().schedule(Duration.ofMillis(50), () -> probe[0] = 1); // several intervals pass on the loop
    await().atMost(Duration.ofSeconds(10)).until(() -> probe[0] == 1);
    assertTrue(reads.get() <= after + 1, "at most the poll already queued runs");
    assertEquals(1, changes.size());
  }

  @Test
  void shouldListTheLoopbackAddressWhenReadingTheMachine() {
    List<Address> all = NetworkInterfaces.list();
    assertTrue(all.stream().anyMatch(a -> a.internal() && a.host().equals("127.0.0.1") && a.family() == 4),
        all.toString());
    assertTrue(NetworkInterfaces.Source.system().read().containsAll(all));
  }

  @Test
  void shouldRefuseAnIntervalThatIsNotPositive() {
    assertThrows(IllegalArgumentException.class,
        () -> NetworkInterfaces.watch(udx.loop(), List::of, Duration.ZERO, l -> { }));
  }

  @Test
  void shouldStopQuietlyWhenTheLoopIsClosed() {
    udx.close();
    try (NetworkInterfaces w = NetworkInterfaces.watch(udx.loop(), () -> List.of(LO), FAST, l -> { })) {
      assertEquals(List.of(LO), w.interfaces());
    }
  }
}
