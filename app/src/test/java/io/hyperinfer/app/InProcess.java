package io.hyperinfer.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs launcher commands in this JVM as {@code main} would, keeping what they print on stdout and stderr. */
final class InProcess {
  final StringWriter out = new StringWriter();
  final StringWriter err = new StringWriter();

  /** The exit status of {@code hyperinfer args...}. */
  int run(String... args) {
    CommandLine cl = Hyperinfer.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  /** Forgets what was printed so far. */
  void clear() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }
}
