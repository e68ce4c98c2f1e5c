package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The demo command in-process: exit codes and store directories. */
@Timeout(120)
class HyperinferIT {
  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Hyperinfer.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    return cli.execute(args);
  }

  @Test
  void shouldExitZeroAndPrintEveryStepWhenDemoSucceeds() {
    Path stores = dir.resolve("stores");
    assertEquals(0, run("demo", "--fast-hashing", "--store-dir", stores.toString()));
    int steps = io.hyperinfer.app.demo.DemoJourney.steps().size();
    assertTrue(out.toString().contains("All " + steps + " steps did what they should."), out.toString());
    assertTrue(Files.isDirectory(stores.resolve("auth")), "an explicit store dir is kept");
  }

  @Test
  void shouldDeleteTemporaryStoresWhenNoStoreDirIsGiven() {
    assertEquals(0, run("demo", "--fast-hashing", "--verbose"));
    String printed = out.toString();
    String root = printed.substring(printed.indexOf("stores under ") + "stores under ".length(),
        printed.indexOf('\n')).strip();
    assertFalse(Files.exists(Path.of(root)), root + " should have been deleted");
  }
}
