package io.hyperinfer.app.dht;

import io.hyperinfer.dht.NodeOptions;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDht;
import io.hyperinfer.hyperdht.HyperDhtOptions;
import java.util.List;
import java.util.concurrent.Callable;
import io.hyperinfer.app.launch.ParentOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer dht node --host H --bootstrap H:P[,H:P...] [--port P]}: a persistent HyperDHT node that stores
 * records and forwards connections for others (JS {@code hyperdht --bootstrap ...}), until SIGTERM or Ctrl-C.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = {"Run a persistent HyperDHT node: it joins through the bootstrap nodes, stores records and forwards "
        + "connection handshakes for others.",
        "Prints 'listening on HOST:PORT' once bootstrapped, then 'persistent id ID' once it has an id; stops cleanly "
            + "on SIGTERM or Ctrl-C."})
final class DhtNodeCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "The IPv4 address to bind (default ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,HOST:PORT...]",
      description = "The nodes to join through (required).")
  String bootstrap;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
      description = "The UDP port (default ${DEFAULT-VALUE}: any free one).")
  String port;

  @Mixin
  ParentOption parent = new ParentOption();

  @Override
  public Integer call() {
    return NodeRunner.run(spec, parent.pid(), () -> {
      String h = DhtArgs.host("--host", host);
      List<HostPort> join = DhtArgs.nodes(bootstrap);
      int p = DhtArgs.port(port, true);
      HyperDhtOptions options = HyperDhtOptions.DEFAULT.withHost(h).withPort(p).withAnyPort(p == 0)
          .withBootstrap(join).withMode(NodeOptions.Mode.PERSISTENT);
      return new NodeRunner.Start(h, p, () -> HyperDht.create(options));
    });
  }
}
