package io.hyperinfer.app;

import io.hyperinfer.client.cli.HyperinferCli;
import io.hyperinfer.worker.WorkerException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hyperinfer} launcher: {@code demo}, {@code up}, the workers ({@code auth}, {@code gateway},
 * {@code processor}), {@code dht}, {@code cli} (with the client commands as its subcommands), {@code serve-openai}.
 * Every command and subcommand has {@code --help} and {@code --version} with one version. An expected failure (a
 * {@link LauncherException}, a {@link WorkerException} the user can fix, a client error, a bad flag) is printed as one
 * {@code error:} sentence with a non-zero exit status; any other failure as one line too, its stack trace only with
 * {@code --verbose}.
 */
@Command(name = "hyperinfer", mixinStandardHelpOptions = true, versionProvider = Hyperinfer.Version.class,
    description = {"Peer-to-peer AI inference over the Hyperswarm stack.",
        "New here? 'hyperinfer demo' shows a whole network at work; 'hyperinfer up' keeps one running for "
            + "'hyperinfer cli' and 'hyperinfer serve-openai'. Each command has --help."},
    subcommands = {DemoCommand.class, UpCommand.class, io.hyperinfer.app.worker.AuthCommand.class,
        io.hyperinfer.app.worker.GatewayCommand.class, io.hyperinfer.app.worker.ProcessorCommand.class,
        CliCommand.class, ServeOpenAiCommand.class, io.hyperinfer.app.dht.DhtCommand.class,
        io.hyperinfer.app.network.NetworkCommand.class, CommandLine.HelpCommand.class})
public final class Hyperinfer implements Runnable {
  /** The one version every command reports. */
  public static final String VERSION = "hyperinfer 0.1.0";

  @CommandLine.Spec
  CommandSpec spec;

  @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "More detail: log lines on stderr and the "
      + "stack trace of a failure.")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for tests that run commands in-process. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Hyperinfer());
    CommandLine cli = cl.getSubcommands().get("cli");
    CliCommand client = cli.getCommand();
    client.addClientCommands(cli);
    uniform(cl);
    cl.setExecutionStrategy(parsed -> {
      try {
        return new CommandLine.RunLast().execute(parsed);
      } finally {
        client.close();
      }
    });
    cl.setParameterExceptionHandler((e, args) -> {
      PrintWriter err = e.getCommandLine().getErr();
      err.println("error: " + e.getMessage() + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName()
          + " --help')");
      err.flush();
      return 2;
    });
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      int status = 1;
      String sentence;
      if (e instanceof LauncherException le) {
        status = le.code().exitStatus();
        sentence = le.getMessage();
      } else if (WorkerException.expected(e).isPresent()) {
        sentence = WorkerException.expected(e).get().getMessage();
      } else {
        sentence = HyperinferCli.sentence(e).orElseGet(() -> "unexpected failure: " + e
            + (verbose(cmd.getCommandSpec()) ? "" : " (run again with --verbose for the stack trace)"));
      }
      err.println("error: " + sentence);
      if (verbose(cmd.getCommandSpec())) {
        e.printStackTrace(err);
      }
      err.flush();
      return status;
    });
    return cl;
  }

  /** Whether {@code --verbose} was given to this command or one above it. */
  public static boolean verbose(CommandSpec spec) {
    for (CommandSpec s = spec; s != null; s = s.parent()) {
      CommandLine.ParseResult r = s.commandLine() == null ? null : s.commandLine().getParseResult();
      if (r != null && r.hasMatchedOption("--verbose")) {
        return true;
      }
    }
    return false;
  }

  /** Gives every command below {@code cl} --help and --version with the one version, and sorted options. */
  private static void uniform(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommand() instanceof CommandLine.HelpCommand) {
        continue;
      }
      CommandSpec spec = sub.getCommandSpec();
      if (!spec.mixinStandardHelpOptions()) {
        spec.mixinStandardHelpOptions(true);
      }
      spec.versionProvider(new Version());
      uniform(sub);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
    spec.commandLine().getOut().flush();
  }

  /** {@link #VERSION}. */
  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {VERSION};
    }
  }
}
