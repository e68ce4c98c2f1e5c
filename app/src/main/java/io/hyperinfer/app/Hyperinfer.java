package io.hyperinfer.app;

import io.hyperinfer.worker.WorkerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hyperinfer} launcher: {@code demo}, {@code up}, the workers ({@code auth}, {@code gateway},
 * {@code processor}), {@code dht}, {@code cli}, {@code serve-openai}. An expected failure (a {@link LauncherException},
 * or a {@link WorkerException} the user can fix) is printed as one {@code error:} sentence with its exit status.
 */
@Command(name = "hyperinfer", mixinStandardHelpOptions = true, version = "hyperinfer 0.1.0",
    description = "Peer-to-peer AI inference over the Hyperswarm stack.",
    subcommands = {DemoCommand.class, UpCommand.class, io.hyperinfer.app.worker.AuthCommand.class,
        io.hyperinfer.app.worker.GatewayCommand.class, io.hyperinfer.app.worker.ProcessorCommand.class,
        ServeOpenAiCommand.class, CliCommand.class, CommandLine.HelpCommand.class,
        io.hyperinfer.app.dht.DhtCommand.class, io.hyperinfer.app.network.NetworkCommand.class})
public final class Hyperinfer implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for tests that run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Hyperinfer());
    // Everything after the client command's name belongs to that command, options included.
    cl.getSubcommands().get("cli").setStopAtPositional(true);
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      int status;
      String sentence;
      if (e instanceof LauncherException le) {
        status = le.code().exitStatus();
        sentence = le.getMessage();
      } else if (WorkerException.expected(e).isPresent()) {
        status = 1;
        sentence = WorkerException.expected(e).get().getMessage();
      } else {
        throw e;
      }
      PrintWriter err = cmd.getErr();
      err.println("error: " + sentence);
      err.flush();
      return status;
    });
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
