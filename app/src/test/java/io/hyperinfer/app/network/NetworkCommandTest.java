package io.hyperinfer.app.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.app.Hyperinfer;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.network.SignedRoster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The operator's commands in-process, on disk only (no --bootstrap): keys, roster edits, errors. */
class NetworkCommandTest {
  private static final String GATEWAY = "0a".repeat(32);
  @TempDir Path dir;
  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  private int run(String... args) {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine cli = Hyperinfer.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  private String[] args(String... head) {
    String[] all = java.util.Arrays.copyOf(head, head.length + 2);
    all[head.length] = "--dir";
    all[head.length + 1] = dir.toString();
    return all;
  }

  @Test
  void shouldWritePrivateKeysAndASignedRosterWhenANetworkIsCreated() throws Exception {
    assertEquals(0, run(args("network", "create")), err.toString());

    String network = out.toString().lines().findFirst().orElseThrow().substring("network ".length());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("network.key"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("session.key"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    NetworkKey key = NetworkKey.fromSeed(HexFormat.of().parseHex(Files.readString(dir.resolve("network.key")).strip()));
    assertEquals(network, key.hex());
    SignedRoster roster = new RosterCache(dir.resolve("roster.bin")).load(NetworkKey.parse(network)).orElseThrow();
    assertEquals(1 + 1, roster.roster().seq(), "the empty roster, then its session key");
    assertTrue(roster.roster().session().isPresent());
    assertFalse(out.toString().contains(Files.readString(dir.resolve("network.key")).strip()), "no secret printed");

    assertEquals(2, run(args("network", "create")));
    assertTrue(err.toString().startsWith("error: a network already exists in "), err.toString());
  }

  @Test
  void shouldSignEachEditWhenKeysAreAdmittedAndRevoked() throws Exception {
    run(args("network", "create"));
    NetworkKey network = new OperatorFiles(dir).loadNetworkKey();

    assertEquals(0, run(args("network", "admit", "--role", "gateway", GATEWAY)), err.toString());
    assertEquals(0, run(args("network", "admit", "--role", "AUTH", GATEWAY)));
    assertTrue(out.toString().contains("roster seq 4 signed"), out.toString());
    assertEquals(0, run(args("network", "revoke", "--role", "auth", GATEWAY)));
    assertEquals(0, run(args("network", "show")));
    assertTrue(out.toString().contains("member " + GATEWAY + " gateway"), out.toString());
    assertEquals(0, run(args("network", "revoke", GATEWAY)));

    SignedRoster roster = new RosterCache(dir.resolve("roster.bin")).load(network).orElseThrow();
    assertEquals(6, roster.roster().seq());
    assertTrue(roster.roster().isRevoked(GATEWAY));
    assertFalse(roster.roster().hasRole(HexFormat.of().parseHex(GATEWAY), Role.GATEWAY));
    assertEquals(0, run(args("network", "show")));
    assertTrue(out.toString().contains("  revoked " + GATEWAY), out.toString());
  }

  @Test
  void shouldExplainInOneLineWhenArgumentsAreWrong() throws Exception {
    assertEquals(2, run(args("network", "admit", "--role", "gateway", GATEWAY)));
    assertTrue(err.toString().startsWith("error: no key file at "), err.toString());
    run(args("network", "create"));
    assertEquals(2, run(args("network", "admit", "--role", "root", GATEWAY)));
    assertEquals("error: unknown role 'root'; expected auth, gateway, processor or admin", err.toString().strip());
    assertEquals(2, run(args("network", "admit", "--role", "auth", "abc")));
    assertEquals("error: member key must be 64 hex characters (a 32-byte public key)", err.toString().strip());
    assertEquals(2, run(args("network", "publish")));
    assertEquals("error: --bootstrap is required to publish", err.toString().strip());
    assertEquals(2, run(args("network", "publish", "--bootstrap", "localhost:49737")));
    assertEquals("error: --bootstrap: 'localhost:49737' is not IPV4:PORT", err.toString().strip());
    assertEquals(2, run(args("network", "show", "--bootstrap", "127.0.0.1:0")));
    Files.writeString(dir.resolve("network.key"), "nonsense");
    assertEquals(2, run(args("network", "show")));
    assertTrue(err.toString().contains("does not hold a 64-hex-character seed"), err.toString());
    Files.delete(dir.resolve("roster.bin"));
    Files.writeString(dir.resolve("network.key"), "00".repeat(32));
    assertEquals(2, run(args("network", "show")));
    assertTrue(err.toString().contains("no roster at"), err.toString());
  }

  @Test
  void shouldPrintUsageWhenNoSubcommandIsGiven() {
    assertEquals(0, run("network"));
    assertTrue(out.toString().contains("admit"), out.toString());
  }
}
