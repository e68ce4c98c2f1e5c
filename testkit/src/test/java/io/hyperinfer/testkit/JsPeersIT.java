package io.hyperinfer.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The pinned JS peers for real: node, the one-time {@code npm ci}, line I/O, exit codes, stderr on failure. */
@Timeout(120)
class JsPeersIT {
  private final Properties saved = (Properties) System.getProperties().clone();

  @AfterEach
  void restoreProperties() {
    System.setProperties(saved);
  }

  @Test
  void shouldEchoThroughNodeWhenJsPeerRuns(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("echo.js");
    Files.writeString(script, """
        require('b4a')
        console.log('ready')
        process.stdin.on('data', d => { console.log('echo:' + d.toString().trim()); process.exit(3) })
        """);
    try (JsProcess peer = JsPeers.start(script)) {
      peer.awaitLine("ready"::equals, Duration.ofSeconds(30));
      peer.send("hi");
      assertEquals("echo:hi", peer.awaitLine(l -> l.startsWith("echo:"), Duration.ofSeconds(30)));
      assertEquals(3, peer.awaitExit(Duration.ofSeconds(30)));
      assertTrue(!peer.isAlive());
      assertThrows(AssertionError.class, () -> peer.awaitLine(l -> true, Duration.ofSeconds(5)));
    }
  }

  @Test
  void shouldReportStderrWhenPeerFails(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("fail.js");
    Files.writeString(script, "console.error('boom'); process.exit(1)\n");
    try (JsProcess peer = JsPeers.start(script)) {
      AssertionError e = assertThrows(AssertionError.class, () -> peer.awaitLine(l -> true, Duration.ofSeconds(30)));
      assertEquals(1, peer.awaitExit(Duration.ofSeconds(30)));
      assertTrue(peer.stderr().contains("boom"), e.getMessage());
    }
  }

  @Test
  void shouldFailLoudlyWhenNodeIsMissingAndInteropIsRequired() {
    System.setProperty("interop.node", "/nonexistent/node-for-JsPeersIT");
    System.setProperty("interop.required", "true");
    assertFalse(JsPeers.nodeAvailable());
    AssertionError e = assertThrows(AssertionError.class, JsPeers::require);
    assertTrue(e.getMessage().startsWith("INTEROP SKIPPED: node is not on PATH"), e.getMessage());
    assertTrue(e.getMessage().contains("required here"), e.getMessage());
  }

  @Test
  void shouldSkipWhenNodeIsMissingAndInteropIsNotRequired() {
    System.setProperty("interop.node", "/nonexistent/node-for-JsPeersIT");
    System.setProperty("interop.required", "false");
    TestAbortedException e = assertThrows(TestAbortedException.class, () -> JsPeers.start(Path.of("peer.js")));
    assertTrue(e.getMessage().contains("node is not on PATH"), e.getMessage());
  }

  @Test
  void shouldRequireInteropExactlyWhenToldOrUnderCi() {
    System.setProperty("interop.required", "true");
    assertTrue(JsPeers.required());
    System.setProperty("interop.required", " false ");
    assertFalse(JsPeers.required());
    System.setProperty("interop.required", "");
    assertEquals("true".equalsIgnoreCase(System.getenv("CI")), JsPeers.required());
  }

  @Test
  void shouldReportNodeMissingWhenItExitsWithAnError(@TempDir Path dir) throws Exception {
    Path fakeNode = dir.resolve("node");
    Files.writeString(fakeNode, "#!/bin/sh\necho broken >&2\nexit 2\n");
    assertTrue(fakeNode.toFile().setExecutable(true));
    System.setProperty("interop.node", fakeNode.toString());
    assertFalse(JsPeers.nodeAvailable());
  }

  @Test
  void shouldInstallPinnedPackagesOnceWhenACheckoutHasNone(@TempDir Path dir) throws Exception {
    Path interop = checkoutWithInterop(dir, """
        {"name":"empty","version":"1.0.0","lockfileVersion":3,"requires":true,
         "packages":{"":{"name":"empty","version":"1.0.0"}}}
        """);
    JsPeers.require();
    Path stamp = interop.resolve("node_modules/.hyperinfer-installed");
    assertTrue(Files.isRegularFile(stamp), "npm ci ran and left its stamp");
    Files.delete(stamp);
    JsPeers.require();
    assertFalse(Files.exists(stamp), "installed once per checkout and JVM");
  }

  @Test
  void shouldFailTheTestWhenNpmCiFails(@TempDir Path dir) throws Exception {
    checkoutWithInterop(dir, "this is not JSON\n");
    java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, JsPeers::require);
    assertTrue(e.getMessage().contains("cannot install the pinned JS peers"), e.getMessage());
    assertTrue(e.getCause().getMessage().startsWith("npm ci failed"), e.getCause().getMessage());
  }

  /** A checkout in {@code dir} whose interop/ has no packages and {@code lock} as its lock file; it becomes the root. */
  private static Path checkoutWithInterop(Path dir, String lock) throws Exception {
    Path checkout = Files.createDirectories(dir.resolve("hyperinfer"));
    Files.writeString(checkout.resolve("mvnw"), "#!/bin/sh\n");
    Path interop = Files.createDirectories(checkout.resolve("interop"));
    Files.writeString(interop.resolve("package.json"), "{\"name\":\"empty\",\"version\":\"1.0.0\",\"private\":true}\n");
    Files.writeString(interop.resolve("package-lock.json"), lock);
    System.setProperty("hyperinfer.root", checkout.toString());
    return interop;
  }
}
