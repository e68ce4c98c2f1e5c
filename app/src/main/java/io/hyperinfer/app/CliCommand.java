package io.hyperinfer.app;

import io.hyperinfer.app.launch.Bootstrap;
import io.hyperinfer.app.launch.JoinOptions;
import io.hyperinfer.app.net.JoinedClient;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.cli.ChatInput;
import io.hyperinfer.client.cli.HyperinferCli;
import io.hyperinfer.client.cli.PasswordPrompt;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.fs.DataDirs;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer cli [--bootstrap HOST:PORT] [--data-dir DIR] COMMAND}: the client commands (register, login,
 * logout, accounts, keys, infer, chat, usage, models; svc-client's {@link HyperinferCli}) as subcommands, against a
 * running network joined only when the command needs it (and left after it). Credentials live in the user's config
 * folder ({@code credentials.json}, 0600). Confined to the thread that runs the command.
 */
@Command(name = "cli", synopsisSubcommandLabel = "COMMAND",
    description = {"Use a running network as a client: accounts, API keys, inference.",
        "Joins the network 'hyperinfer up' runs with the same data directory, or the one --bootstrap names.",
        "Start with 'register', then 'login' and 'keys create' (the API key for serve-openai and OpenAI SDKs).",
        "Credentials are kept in ~/.config/hyperinfer/credentials.json ($XDG_CONFIG_HOME, or DIR/config with "
            + "--data-dir; owner-only)."})
final class CliCommand implements Runnable, AutoCloseable {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  JoinOptions join = new JoinOptions();

  /** Standard input for {@code chat} and {@code --password-stdin}; tests replace it. */
  BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  /** The password prompt; tests replace it. */
  PasswordPrompt prompt = PasswordPrompt.terminal();

  private JoinedClient joined;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
    spec.commandLine().getOut().flush();
  }

  /** Adds the client commands under {@code self} (this command's own command line). */
  void addClientCommands(CommandLine self) {
    new HyperinferCli(this::client, this::credentialsFile, new DelegatingReader(), new CountDownLatch(0),
        prompt -> this.prompt.ask(prompt))
        .prefix("hyperinfer cli")
        .chatInput(() -> TerminalChat.open(dirs(), in, spec.commandLine().getOut()))
        .addCommandsTo(self);
  }

  private DataDirs dirs() {
    return join.dirs();
  }

  private Path credentialsFile() {
    DataDirs dirs = dirs();
    try {
      PrivateFiles.createDirectories(dirs.config());
    } catch (IOException e) {
      throw new LauncherException(LauncherException.Code.FAILED, "cannot create the config folder " + dirs.config()
          + " (" + reason(e) + "): make it writable, or choose another with --data-dir", e);
    }
    return dirs.credentials();
  }

  private static String reason(IOException e) {
    return switch (e) {
      case java.nio.file.FileAlreadyExistsException f -> "a file is in the way: " + f.getFile();
      case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getFile();
      default -> String.valueOf(e.getMessage());
    };
  }

  /** Joins the network on first use (a command that fails its own checks never connects), saying what it does. */
  private synchronized ClientWorker client() {
    if (joined == null) {
      // A failure is reported by the command in one sentence; the client worker's own log line would repeat it.
      Logs.setRootLevel(Hyperinfer.verbose(spec) ? "INFO" : "OFF");
      PrintWriter err = spec.commandLine().getErr();
      List<HostPort> nodes = join.bootstrap();
      err.println("joining the network through DHT bootstrap " + Bootstrap.format(nodes) + "...");
      err.flush();
      try {
        joined = JoinedClient.join(nodes, "cli", join.config("cli"));
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new LauncherException(LauncherException.Code.NO_NETWORK, "could not join the network through "
            + Bootstrap.format(nodes) + " (" + e.getMessage() + "): check that it runs ('hyperinfer up') and that "
            + "--bootstrap names one of its DHT nodes", e);
      }
      List<String> gateways = joined.client().gatewaysFound();
      err.println("looked up the gateways' topic: " + gateways.size() + " found" + (gateways.isEmpty() ? ""
          : ", using gateway " + gateways.getFirst() + "..."));
      err.flush();
    }
    return joined.client();
  }

  @Override
  public void close() {
    if (joined != null) {
      try {
        joined.close();
      } catch (Exception e) {
        // Leaving the network is best effort once the command's work is done; the process exits next.
      } finally {
        joined = null;
      }
    }
  }

  /** Reads {@link #in} as it is when read, so tests can replace it after the command line is built. */
  private final class DelegatingReader extends BufferedReader {
    DelegatingReader() {
      super(java.io.Reader.nullReader());
    }

    @Override
    public String readLine() throws IOException {
      return in.readLine();
    }
  }

  /** Chat lines from a line editor on a terminal, else from standard input. */
  static final class TerminalChat {
    private TerminalChat() {}

    static ChatInput open(DataDirs dirs, BufferedReader in, PrintWriter out) {
      if (System.console() == null || !System.console().isTerminal()) {
        return ChatInput.plain(in, out);
      }
      try {
        return LineEditor.open(dirs.state().resolve("chat-history"));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open the terminal for chat", e);
      }
    }
  }
}
