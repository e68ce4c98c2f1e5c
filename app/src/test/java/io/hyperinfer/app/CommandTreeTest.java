package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command tree as a user meets it: every command and subcommand answers --help and --version alike, and every
 * expected failure that needs no network is one {@code error:} sentence naming the thing and the fix, with its exit
 * status and no stack trace.
 */
class CommandTreeTest {
  @TempDir
  Path dir;

  private final InProcess shell = new InProcess();
  private final StringWriter out = shell.out;
  private final StringWriter err = shell.err;

  private int run(String... args) {
    return shell.run(args);
  }

  private static void paths(CommandLine cl, List<String> prefix, List<List<String>> into) {
    for (Map.Entry<String, CommandLine> e : cl.getSubcommands().entrySet()) {
      if (e.getValue().getCommand() instanceof CommandLine.HelpCommand) {
        continue;
      }
      List<String> path = new ArrayList<>(prefix);
      path.add(e.getKey());
      into.add(path);
      paths(e.getValue(), path, into);
    }
  }

  private void assertOneSentence(int expectedStatus, int status, String... mustContain) {
    String text = err.toString();
    assertEquals(expectedStatus, status, text);
    assertTrue(text.startsWith("error: "), text);
    assertEquals(1, text.strip().lines().count(), "one line: " + text);
    assertFalse(text.contains("Exception") || text.contains("\tat "), text);
    for (String s : mustContain) {
      assertTrue(text.contains(s), "'" + s + "' in: " + text);
    }
  }

  @Test
  void shouldAnswerHelpAndTheSameVersionWhenAnyCommandIsAsked() {
    List<List<String>> all = new ArrayList<>();
    paths(Hyperinfer.commandLine(), List.of(), all);
    assertTrue(all.size() >= 25, all.toString());
    assertTrue(all.contains(List.of("cli", "keys", "create")) && all.contains(List.of("cli", "logout"))
        && all.contains(List.of("cli", "accounts", "use")), all.toString());
    for (List<String> path : all) {
      out.getBuffer().setLength(0);
      List<String> help = new ArrayList<>(path);
      help.add("--help");
      assertEquals(0, run(help.toArray(String[]::new)), path + ": " + err);
      assertTrue(out.toString().startsWith("Usage: hyperinfer " + String.join(" ", path)), path + ": " + out);
      out.getBuffer().setLength(0);
      List<String> version = new ArrayList<>(path);
      version.add("--version");
      assertEquals(0, run(version.toArray(String[]::new)), path + ": " + err);
      assertEquals(Hyperinfer.VERSION, out.toString().strip(), path.toString());
    }
  }

  @Test
  void shouldListClientCommandsAndSayHowToStartWhenCliHelpIsAsked() {
    assertEquals(0, run("cli", "--help"));
    String help = out.toString();
    for (String command : List.of("register", "login", "logout", "accounts", "keys", "infer", "chat", "usage",
        "models")) {
      assertTrue(help.contains("\n  " + command + " "), command + " in: " + help);
    }
    assertTrue(help.contains("credentials.json"), help);
    out.getBuffer().setLength(0);
    assertEquals(0, run("serve-openai", "--help"));
    assertTrue(out.toString().contains("hyperinfer cli keys create"), "how to get a key: " + out);
    out.getBuffer().setLength(0);
    assertEquals(0, run("up", "--help"));
    assertTrue(out.toString().replaceAll("\\s*\\n\\s*", "").contains("~/.local/share/hyperinfer"),
        "where data lives: " + out);
  }

  @Test
  void shouldNameTheFlagAndTheHelpWhenAFlagIsUnknown() {
    assertOneSentence(2, run("up", "--no-such-flag"), "'--no-such-flag'", "hyperinfer up --help");
    err.getBuffer().setLength(0);
    assertOneSentence(2, run("cli", "keys", "create", "--nam", "x"), "'--nam'", "hyperinfer cli keys create --help");
    err.getBuffer().setLength(0);
    assertOneSentence(2, run("no-such-command"), "no-such-command");
  }

  @Test
  void shouldRefuseAPortOutOfRangeBeforeJoiningWhenServeOpenAiIsGivenOne() {
    assertOneSentence(2, run("serve-openai", "--port", "99999", "--bootstrap", "127.0.0.1:9"), "--port",
        "'99999'", "0..65535");
    err.getBuffer().setLength(0);
    assertOneSentence(2, run("auth", "--ops-port", "70000"), "--ops-port", "'70000'");
  }

  @Test
  void shouldSayHowToStartANetworkWhenCliHasNoneToJoin() {
    assertOneSentence(1, run("cli", "--data-dir", dir.toString(), "models"), "hyperinfer up", "--bootstrap");
  }

  @Test
  void shouldNameTheFileWhenTheConfigIsBad() throws Exception {
    Path bad = Files.writeString(dir.resolve("bad.json"), "{not json");
    assertOneSentence(1, run("auth", "--config", bad.toString(), "--data-dir", dir.toString()), "bad.json");
    err.getBuffer().setLength(0);
    assertOneSentence(2, run("auth", "--config", dir.resolve("missing").toString()), "missing", "--config");
  }

  @Test
  void shouldNameTheFolderWhenTheDataDirectoryCannotBeCreated() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertOneSentence(1, run("cli", "--data-dir", file.resolve("below").toString(), "keys", "create"),
        "a-file", "--data-dir");
  }

  @Test
  void shouldSayWhichAccountsExistWhenSwitchingToAnUnknownOne() {
    assertOneSentence(1, run("cli", "--data-dir", dir.toString(), "accounts", "use", "nobody@example.com"),
        "nobody@example.com", "hyperinfer cli login");
    err.getBuffer().setLength(0);
    assertOneSentence(1, run("cli", "--data-dir", dir.toString(), "logout"), "no account is in use",
        "hyperinfer cli login");
  }

  @Test
  void shouldPrintTheStackTraceOnlyWhenVerbose() throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    assertEquals(1, run("cli", "--verbose", "--data-dir", file.resolve("below").toString(), "keys", "create"));
    assertTrue(err.toString().startsWith("error: cannot create the config folder"), err.toString());
    assertTrue(err.toString().contains("\tat "), "a stack trace with --verbose: " + err);
  }
}
