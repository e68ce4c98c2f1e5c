package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class HyperinferTest {
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Hyperinfer.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    return cli.execute(args);
  }

  @Test
  void shouldListCommandsWhenRunWithoutArguments() {
    CommandLine cli = Hyperinfer.commandLine();
    StringWriter usage = new StringWriter();
    cli.setOut(new PrintWriter(usage));
    var saved = System.out;
    var captured = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(captured, true));
    try {
      assertEquals(0, cli.execute());
    } finally {
      System.setOut(saved);
    }
    assertTrue(captured.toString().contains("demo"), captured.toString());
    assertEquals(2, run("no-such-command"));
  }
}
