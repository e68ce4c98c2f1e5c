package io.hyperinfer.app.dht;

import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import java.util.concurrent.Callable;
import io.hyperinfer.app.launch.ParentOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer dht bootstrap --host H --port P}: a bootstrap node (JS {@code hyperdht --bootstrap}), persistent
 * with an id from the start, until SIGTERM or Ctrl-C.
 */
@Command(name = "bootstrap", mixinStandardHelpOptions = true,
    description = {"Run a HyperDHT bootstrap node: persistent, with an id from the start, on exactly HOST:PORT.",
        "Prints 'listening on HOST:PORT' once ready; stops cleanly on SIGTERM or Ctrl-C."})
final class DhtBootstrapCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", description = "The IPv4 address peers reach this node at "
      + "(required; for a local network 127.0.0.1).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + HyperDhtOptions.JS_DEFAULT_PORT,
      description = "The UDP port (default ${DEFAULT-VALUE}; 0 picks a free one).")
  String port;

  @Mixin
  ParentOption parent = new ParentOption();

  @Override
  public Integer call() {
    return NodeRunner.run(spec, parent.pid(), () -> {
      String h = DhtArgs.host("--host", host);
      int p = DhtArgs.port(port, true);
      return new NodeRunner.Start(h, p, () -> HyperDht.bootstrapper(p, h, HyperDhtOptions.DEFAULT));
    });
  }
}
