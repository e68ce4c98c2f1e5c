package io.hyperinfer.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.LauncherException;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTest {
  @TempDir
  Path dir;

  private static String failure(Runnable r) {
    return assertThrows(LauncherException.class, r::run).getMessage();
  }

  @Test
  void shouldPreferTheFlagWhenOneIsGiven() throws Exception {
    DataDirs dirs = DataDirs.under(dir);
    new NetworkFile(List.of(new HostPort("127.0.0.1", 7)), ProcessHandle.current().pid(), Instant.now()).write(dirs);
    assertEquals(List.of(new HostPort("10.0.0.1", 5), new HostPort("127.0.0.1", 6)),
        Bootstrap.resolve("10.0.0.1:5, 127.0.0.1:6", dirs));
    assertEquals(List.of(new HostPort("127.0.0.1", 7)), Bootstrap.resolve(null, dirs));
  }

  @Test
  void shouldNameTheFixWhenThereIsNoNetworkToJoin() {
    LauncherException e = assertThrows(LauncherException.class, () -> Bootstrap.resolve(null, DataDirs.under(dir)));
    assertEquals(LauncherException.Code.NO_NETWORK, e.code());
    assertTrue(e.getMessage().startsWith("no network to join: pass --bootstrap HOST:PORT"), e.getMessage());
    assertTrue(e.getMessage().contains("'hyperinfer up'"), e.getMessage());
  }

  @Test
  void shouldSayTheLocalNetworkStoppedWhenItsProcessIsGone() throws Exception {
    DataDirs dirs = DataDirs.under(dir);
    long gone = Long.MAX_VALUE;
    new NetworkFile(List.of(new HostPort("127.0.0.1", 7)), gone, Instant.now()).write(dirs);
    String message = failure(() -> Bootstrap.resolve(null, dirs));
    assertTrue(message.startsWith("the local network 'hyperinfer up' started (pid " + gone
        + ") is not running any more"), message);
  }

  @Test
  void shouldExplainEachBadAddressWhenParsing() {
    assertEquals("--bootstrap is required (HOST:PORT[,HOST:PORT...])", failure(() -> Bootstrap.parse("--bootstrap",
        " ")));
    assertEquals("--bootstrap: 'x' is not HOST:PORT", failure(() -> Bootstrap.parse("--bootstrap", "x")));
    assertEquals("--bootstrap: 'localhost' is not an IPv4 address (no names: this network has no DNS)",
        failure(() -> Bootstrap.parse("--bootstrap", "localhost:5")));
    assertEquals("--bootstrap: '1.2.3.4:0' has a bad port '0': use 1..65535",
        failure(() -> Bootstrap.parse("--bootstrap", "1.2.3.4:0")));
    assertEquals("bad port 'x': use 0..65535", failure(() -> Bootstrap.port("bad port", "x", true)));
    assertEquals(0, Bootstrap.port("p", "0", true));
  }

  @Test
  void shouldJoinAddressesWhenFormatting() {
    assertEquals("1.2.3.4:5,6.7.8.9:10", Bootstrap.format(List.of(new HostPort("1.2.3.4", 5),
        new HostPort("6.7.8.9", 10))));
  }
}
