package io.hyperinfer.app.launch;

import io.hyperinfer.encoding.HostPort;
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

  /** The data directories. */
  public DataDirs dirs() {
    return dataDir != null ? DataDirs.under(dataDir.toAbsolutePath().normalize()) : DataDirs.forUser();
  }

  /** The nodes to join through; a one-sentence {@code LauncherException} when there is no network to join. */
  public List<HostPort> bootstrap() {
    return Bootstrap.resolve(bootstrap, dirs());
  }
}
