package io.hyperinfer.app.dht;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code hyperinfer dht}: run a HyperDHT bootstrap node or a persistent node in this process. */
@Command(name = "dht", mixinStandardHelpOptions = true,
    description = "Run a HyperDHT node (wire-compatible with the JS hyperdht): a bootstrapper or a persistent node.",
    subcommands = {DhtBootstrapCommand.class, DhtNodeCommand.class})
public final class DhtCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
