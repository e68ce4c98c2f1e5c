package io.hyperinfer.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code hyperinfer cli chat} from the packaged jar on a real terminal (a pty made by util-linux {@code script}),
 * against an {@code up} network: the banner, an answer, Up recalling the last line from the history (not sent as
 * {@code ^[[A}), {@code /exit} ending with status 0, and the history file kept owner-only.
 */
@Order(3) // app/pom.xml: the run order of the two test threads
@Timeout(300)
@ExtendWith(SharedUp.class)
class ChatTerminalIT {
  private static final Duration ANSWER = Duration.ofSeconds(60);
  private static final String EDITING = "\u001b[?2004h";
  private static RunningUp up;

  @TempDir
  Path dir;

  @BeforeAll
  static void joinNetwork(RunningUp shared) {
    up = shared;
  }

  private void cli(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cl = Hyperinfer.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    List<String> all = new java.util.ArrayList<>(List.of("cli", "--data-dir", dir.toString()));
    all.addAll(up.join());
    all.addAll(List.of(args));
    assertEquals(0, cl.execute(all.toArray(String[]::new)), out.toString());
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }

  @Test
  void shouldEditRecallAndExitWhenChatRunsOnATerminal() throws Exception {
    cli("register", "--email", "tty@example.com", "--password", "Tea-pot-77-kettle");
    cli("login", "--email", "tty@example.com", "--password", "Tea-pot-77-kettle");
    String java = ProcessHandle.current().info().command().orElseThrow();
    String command = String.join(" ", java, "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC", "-jar",
        Path.of("target", "hyperinfer.jar").toAbsolutePath().toString(), "cli", String.join(" ", up.join()),
        "--data-dir", dir.toString(), "chat");
    ProcessBuilder pb = new ProcessBuilder("script", "-qfec", command, "/dev/null").redirectErrorStream(true);
    pb.environment().put("TERM", "xterm-256color");
    Process p = pb.start();
    StringBuffer screen = new StringBuffer();
    // a platform thread: a virtual one blocked in a pipe read pins its carrier (see Child)
    Thread reader = Thread.ofPlatform().daemon().start(() -> {
      try (InputStream in = p.getInputStream()) {
        byte[] buf = new byte[4096];
        for (int n; (n = in.read(buf)) > 0; ) {
          screen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
      } catch (java.io.IOException closed) {
        // the process ended
      }
    });
    try (OutputStream keys = p.getOutputStream()) {
      // JLine turns bracketed paste on (ESC [ ? 2004 h) each time it starts reading a line: type only then.
      awaitScreen(screen, "the banner and the line editor", t -> t.contains("Type /exit")
          && count(t, EDITING) == 1);
      type(keys, "hello terminal\r");
      awaitScreen(screen, "the first answer and the next line", t -> count(t, "answer tokens") == 1
          && count(t, EDITING) == 2);
      type(keys, "\u001b[A\r");
      awaitScreen(screen, "the second answer", t -> count(t, "answer tokens") == 2);
      type(keys, "/exit\r");
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), screen.toString());
    } finally {
      p.destroyForcibly();
      reader.join(Duration.ofSeconds(10));
    }
    String text = screen.toString();
    assertEquals(0, p.exitValue(), text);
    assertTrue(text.contains("bye"), text);
    // Up recalled the line from the history: both answers repeat it, neither is the arrow's escape sequence.
    assertEquals(2, count(text, "repeats your last message] hello terminal"), text);
    assertFalse(text.contains("message] [A") || text.contains("message] ^[[A"), text);
    Path history = dir.resolve("state").resolve("chat-history");
    assertTrue(Files.readString(history).contains("hello terminal"));
    assertFalse(PrivateFiles.isOpenToOthers(history));
  }

  private static void awaitScreen(StringBuffer screen, String what, java.util.function.Predicate<String> shown) {
    try {
      await().atMost(ANSWER).until(() -> shown.test(screen.toString()));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("no " + what + " on the terminal within " + ANSWER.toSeconds() + " s; it shows:\n"
          + screen, e);
    }
  }

  private static void type(OutputStream keys, String text) throws java.io.IOException {
    keys.write(text.getBytes(StandardCharsets.UTF_8));
    keys.flush();
  }
}
