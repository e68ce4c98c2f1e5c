package io.hyperinfer.app.launch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of a command that joins a running network ({@code cli}, {@code serve-openai}): {@code --bootstrap
 * HOST:PORT[,...]}, else the network {@code hyperinfer up} runs with the same data directory; {@code --data-dir}, else
 * the user's folders (credentials in the config folder). Such a command never starts a network itself.
 */
public final class JoinOptions {
  @Option(names = Bootstrap.FLAG, paramLabel = "HOST:PORT[,HOST:PORT...]", description = "A DHT node of the network "
      + "to join (default: the network 'hyperinfer up' runs with this data directory).")
  String bootstrap;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Use DIR/config (credentials) and DIR/state (the "
      + "local network's address) instead of $HYPERINFER_HOME or the XDG folders (~/.config/hyperinfer, ...).")
  Path dataDir;

  @Option(names = NetworkConfig.FLAG, paramLabel = "KEY", description = "The network's public key (64 hex "
      + "characters; 'hyperinfer up' prints it): its topics and its roster decide which gateways are trusted "
      + "(default: the network 'hyperinfer up' runs with this data directory, if it has one).")
  String network;

  /**
   * The client config that puts a joining process called {@code name} in the right network: {@link #network} when
   * given, else the local network's key when it was found through its network file; empty on open topics.
   */
  public ObjectNode config(String name) {
    ObjectNode tree = Json.object();
    DataDirs dirs = dirs();
    if (network != null) {
      NetworkConfig.put(tree, NetworkConfig.FLAG, network, dirs, name, NetworkConfig.localRoster(dirs, network));
    } else if (bootstrap == null) {
      NetworkConfig.fromNetworkFile(tree, dirs, name);
    }
    return tree;
  }

  /** The data directories. */
  public DataDirs dirs() {
    return dataDir != null ? DataDirs.under(dataDir.toAbsolutePath().normalize()) : DataDirs.forUser();
  }

  /** The nodes to join through; a one-sentence {@code LauncherException} when there is no network to join. */
  public List<HostPort> bootstrap() {
    return Bootstrap.resolve(bootstrap, dirs());
  }
}
