package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expected failures that need a socket, in-process: each is one {@code error:} sentence naming the thing and the
 * fix, with exit status 1 and no stack trace. (A broken config, a store in use and no network recorded, from the jar,
 * are in {@code WorkerCommandsIT}; those needing nothing in {@code CommandTreeTest}.)
 */
@Timeout(120)
class ExpectedFailuresIT {
  @TempDir
  Path dir;

  private final InProcess shell = new InProcess();
  private final StringWriter out = shell.out;
  private final StringWriter err = shell.err;

  private int run(String... args) {
    return shell.run(args);
  }

  private String errorLine() {
    return err.toString().lines().filter(l -> l.startsWith("error: ")).findFirst().orElse("(none) " + err);
  }

  @Test
  void shouldNameThePortAndTheFlagWhenServeOpenAiFindsItsPortInUse() throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = taken.getLocalPort();
      assertEquals(1, run("serve-openai", "--port", String.valueOf(port), "--bootstrap", "127.0.0.1:9"));
      assertEquals("error: port " + port + " on 127.0.0.1 is in use: stop what listens there, or pick another with "
          + "--port (0 picks a free one)", err.toString().strip());
    }
  }

  @Test
  void shouldNameTheBootstrapWhenNoNodeOfTheNetworkAnswers() {
    assertEquals(1, run("cli", "--bootstrap", "127.0.0.1:9", "--data-dir", dir.toString(), "models"));
    assertTrue(errorLine().contains("127.0.0.1:9") && errorLine().contains("network is running"), err.toString());
    assertFalse(err.toString().contains("Exception") || err.toString().contains("\tat "), err.toString());
    assertTrue(err.toString().contains("joining the network through DHT bootstrap 127.0.0.1:9..."), err.toString());
  }
}
