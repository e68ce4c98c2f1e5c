package io.hyperinfer.app.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.Hyperinfer;
import io.hyperinfer.encoding.HostPort;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The dht commands' argument checks, in-process: each bad argument is one line on stderr and exit code 2. */
class DhtCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Hyperinfer.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private void assertOneLineError(String expected, String... args) {
    assertEquals(2, run(args), err.toString());
    String printed = err.toString().strip();
    assertEquals("error: " + expected, printed);
    assertEquals("", out.toString(), "nothing on stdout");
  }

  @Test
  void shouldNameThePortWhenItIsOutOfRange() {
    assertOneLineError("bad port '70000': use 0..65535", "dht", "bootstrap", "--host", "127.0.0.1", "--port", "70000");
  }

  @Test
  void shouldNameThePortWhenItIsNotANumber() {
    assertOneLineError("bad port 'x': use 0..65535", "dht", "node", "--bootstrap", "127.0.0.1:1", "--port", "x");
  }

  @Test
  void shouldRequireTheHostOfABootstrapper() {
    assertOneLineError("--host is required (an IPv4 address such as 127.0.0.1)", "dht", "bootstrap", "--port", "1");
  }

  @Test
  void shouldRejectAHostNameWhenAnAddressIsNeeded() {
    assertOneLineError("--host must be an IPv4 address, not 'localhost'", "dht", "bootstrap", "--host", "localhost");
  }

  @Test
  void shouldRequireBootstrapNodesForANode() {
    assertOneLineError("--bootstrap is required (HOST:PORT[,HOST:PORT...])", "dht", "node");
  }

  @Test
  void shouldNameTheEntryWhenABootstrapAddressDoesNotParse() {
    assertOneLineError("--bootstrap: '127.0.0.1' is not HOST:PORT", "dht", "node", "--bootstrap",
        "127.0.0.1:5,127.0.0.1");
  }

  @Test
  void shouldNameTheEntryWhenABootstrapPortIsZero() {
    assertOneLineError("--bootstrap: '127.0.0.1:0' has a bad port '0': use 1..65535", "dht", "node", "--bootstrap",
        "127.0.0.1:0");
  }

  @Test
  void shouldParseEveryBootstrapEntryWhenAllAreGood() {
    assertEquals(List.of(new HostPort("127.0.0.1", 5), new HostPort("10.0.0.2", 49737)),
        DhtArgs.nodes("127.0.0.1:5,10.0.0.2:49737"));
  }

  @Test
  void shouldPrintUsageWhenAskedForHelp() {
    assertEquals(0, run("dht", "node", "--help"));
    assertTrue(out.toString().contains("--bootstrap=HOST:PORT[,HOST:PORT...]"), out.toString());
    assertEquals(0, run("dht"));
    assertTrue(out.toString().contains("bootstrap") && out.toString().contains("node"));
  }
}
