package io.hyperinfer.app;

import io.hyperinfer.app.launch.JoinOptions;
import io.hyperinfer.app.net.JoinedClient;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.cli.HyperinferCli;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer cli [--bootstrap HOST:PORT] [--data-dir DIR] COMMAND...}: one client command (register, login,
 * keys, infer, chat, usage, models, serve-openai) against a running network, joined only when the command needs it.
 * The session and API key are saved in the user's config folder ({@code credentials.json}, 0600), so they outlive the
 * command.
 */
@Command(name = "cli", description = {"Run one client command against a running network (see 'hyperinfer up').",
    "Credentials are kept in the user's config folder (~/.config/hyperinfer/credentials.json, or DIR/config with "
        + "--data-dir)."})
final class CliCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Mixin
  JoinOptions join = new JoinOptions();

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The client command and its arguments.")
  List<String> command = new ArrayList<>();

  /** Standard input for {@code chat} and {@code --password-stdin}; tests replace it. */
  BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  private JoinedClient joined;

  @Override
  public Integer call() throws Exception {
    Logs.setRootLevel("ERROR");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    var dirs = join.dirs();
    PrivateFiles.createDirectories(dirs.config());
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = Thread.ofPlatform().unstarted(stop::countDown);
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      HyperinferCli cli = new HyperinferCli(this::client, dirs.credentials(), in, out, err, stop);
      int status = cli.run(command.toArray(String[]::new));
      out.flush();
      err.flush();
      return status;
    } finally {
      if (joined != null) {
        joined.close();
      }
      ServeOpenAiCommand.removeHook(hook);
    }
  }

  /** Joins the network on first use (a command that fails its own checks never connects). */
  private synchronized ClientWorker client() {
    if (joined == null) {
      List<HostPort> nodes = join.bootstrap();
      try {
        joined = JoinedClient.join(nodes, "cli");
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new LauncherException(LauncherException.Code.NO_NETWORK, "could not join the network through "
            + io.hyperinfer.app.launch.Bootstrap.format(nodes) + ": " + e.getMessage());
      }
    }
    return joined.client();
  }
}
