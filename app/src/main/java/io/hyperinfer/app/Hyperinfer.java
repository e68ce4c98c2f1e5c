package io.hyperinfer.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hyperinfer} launcher: {@code hyperinfer demo}, {@code serve-openai}, {@code cli}. */
@Command(name = "hyperinfer", mixinStandardHelpOptions = true, version = "hyperinfer 0.1.0",
    description = "Peer-to-peer AI inference over the Hyperswarm stack.",
    subcommands = {DemoCommand.class, ServeOpenAiCommand.class, CliCommand.class, CommandLine.HelpCommand.class,
        io.hyperinfer.app.dht.DhtCommand.class,
        io.hyperinfer.app.network.NetworkCommand.class})
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
    return cl;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
