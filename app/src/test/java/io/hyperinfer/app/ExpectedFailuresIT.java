package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expected failures that need a socket, in-process: each is one {@code error:} sentence naming the thing and the
 * fix, with exit status 1 and no stack trace. (A broken config, a store in use and no network recorded, from the jar,
 * are in {@code WorkerCommandsIT}; those needing nothing in {@code CommandTreeTest}.)
 */
@Order(9) // app/pom.xml: the run order of the two test threads
@Timeout(120)
class ExpectedFailuresIT {
  @TempDir
  Path dir;

  private final InProcess shell = new InProcess();

  private String errorLine() {
    return shell.err.toString().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(none) " + shell.err);
  }

  @Test
  void shouldNameThePortAndTheFlagWhenServeOpenAiFindsItsPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      assertEquals(1, shell.run("serve-openai", "--port", String.valueOf(port), "--bootstrap", "127.0.0.1:9"));
      assertEquals("error: port " + port + " on 127.0.0.1 is in use: stop what listens there, or pick another with "
          + "--port (0 picks a free one)", shell.err.toString().strip());
    }
  }

  @Test
  void shouldNameTheBootstrapWhenNoNodeOfTheNetworkAnswers() {
    assertEquals(1, shell.run("cli", "--bootstrap", "127.0.0.1:9", "--data-dir", dir.toString(), "models"));
    String err = shell.err.toString();
    assertTrue(errorLine().contains("127.0.0.1:9") && errorLine().contains("network is running"), err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), err);
    assertTrue(err.contains("joining the network through DHT bootstrap 127.0.0.1:9..."), err);
  }
}
