package io.hyperinfer.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hyperinfer} launcher: {@code hyperinfer demo}, and later the worker commands. */
@Command(name = "hyperinfer", mixinStandardHelpOptions = true, version = "hyperinfer 0.1.0",
    description = "Peer-to-peer AI inference over the Hyperswarm stack.",
    subcommands = {DemoCommand.class, CommandLine.HelpCommand.class})
public final class Hyperinfer implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line, for tests that run commands in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new Hyperinfer());
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
