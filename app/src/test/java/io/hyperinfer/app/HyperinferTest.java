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
    assertEquals(0, run());
    assertTrue(out.toString().contains("demo") && out.toString().contains("cli"), out.toString());
    assertEquals(2, run("no-such-command"));
  }
}
