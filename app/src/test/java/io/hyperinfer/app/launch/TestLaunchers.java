package io.hyperinfer.app.launch;

import java.nio.file.Path;

/** How integration tests start {@code hyperinfer} commands as processes. Stateless. */
public final class TestLaunchers {
  private TestLaunchers() {}

  /**
   * The packaged {@code target/hyperinfer.jar}, its children (and theirs) with this JVM's coverage agent and, as the
   * demo runs its own, C1 only and the serial collector: a test's processes start several at once and then serve a
   * few requests, so C2 and parallel GC threads cost CPU (half of it) that never pays off.
   */
  public static Launcher jar() {
    return Launcher.jar(Path.of("target", "hyperinfer.jar").toAbsolutePath()).withCoverageOfThisJvm()
        .withInheritedJvmOptions("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
  }
}
