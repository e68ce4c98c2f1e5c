package io.hyperinfer.app.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.Hyperinfer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** The dht commands in-process where they touch sockets but never start serving (so no signal handler is set). */
@Order(4) // app/pom.xml: the run order of the two test threads
@Timeout(60)
class DhtCommandIT {
  @Test
  void shouldNameThePortAndExitOneWhenItIsTaken() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Hyperinfer.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      int port = taken.getLocalPort();
      assertEquals(1, cli.execute("dht", "node", "--bootstrap", "127.0.0.1:1", "--port", Integer.toString(port)));
      assertTrue(err.toString().startsWith("error: cannot bind 127.0.0.1:" + port + " (port " + port + " in use?)"),
          err.toString());
      assertEquals(1, err.toString().strip().lines().count());
      assertEquals("", out.toString());
    }
  }
}
