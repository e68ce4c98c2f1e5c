package io.hyperinfer.app.launch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.LauncherException;
import io.hyperinfer.network.NetworkException;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.network.SignedRoster;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code network} section of a process that joins a network with a key (what {@code up} and {@code demo} run):
 * {@code network.key}, and {@code network.roster}, the process's own roster cache ({@link #rosterCache}),
 * seeded from a roster file on this machine (the operator's copy {@code up} names in its {@link NetworkFile}) when that
 * one is newer, so the process trusts the network's members at once instead of after its first DHT fetch. Stateless.
 */
public final class NetworkConfig {
  /** The flag naming the network to join from elsewhere. */
  public static final String FLAG = "--network";

  private NetworkConfig() {}

  /**
   * Puts the network section for {@code key} into {@code tree}, the roster cache of process {@code name} seeded from
   * {@code seed}; a bad key is a {@link LauncherException} naming {@code what}.
   */
  public static void put(ObjectNode tree, String what, String key, DataDirs dirs, String name, Optional<Path> seed) {
    NetworkKey network;
    try {
      network = NetworkKey.parse(key);
    } catch (NetworkException e) {
      throw LauncherException.badArgument(what + ": " + e.getMessage());
    }
    Path cache = rosterCache(dirs, network.hex(), name);
    seed.ifPresent(file -> seed(network, file, cache));
    tree.withObjectProperty("network").put("key", network.hex()).put("roster", cache.toString());
  }

  /**
   * The roster cache of process {@code name} in network {@code networkKey}: {@code <state>/rosters/KEY/NAME.roster},
   * one folder per network, so a cache of an earlier network (a new {@code up}, another {@code --network}) is never
   * offered to a process of this one, which would refuse to start on it.
   */
  public static Path rosterCache(DataDirs dirs, String networkKey, String name) {
    return dirs.state().resolve("rosters").resolve(networkKey).resolve(name + ".roster");
  }

  /** Puts the network of the local network file in {@code dirs} into {@code tree}, if it has a key and tree none. */
  public static void fromNetworkFile(ObjectNode tree, DataDirs dirs, String name) {
    if (tree.path("network").has("key")) {
      return;
    }
    NetworkFile.read(dirs).filter(f -> f.network().isPresent()).ifPresent(f ->
        put(tree, NetworkFile.path(dirs).toString(), f.network().get(), dirs, name, f.roster()));
  }

  /** The roster file of the local network file in {@code dirs} when it runs network {@code key}. */
  public static Optional<Path> localRoster(DataDirs dirs, String key) {
    return NetworkFile.read(dirs).filter(f -> f.network().filter(key::equalsIgnoreCase).isPresent())
        .flatMap(NetworkFile::roster);
  }

  private static void seed(NetworkKey network, Path from, Path cache) {
    try {
      Optional<SignedRoster> offered = new RosterCache(from).load(network);
      long have = new RosterCache(cache).load(network).map(r -> r.roster().seq()).orElse(-1L);
      offered.filter(r -> r.roster().seq() > have).ifPresent(new RosterCache(cache)::store);
    } catch (NetworkException unreadable) {
      // The DHT still has the roster: the process fetches it on its first refresh.
    }
  }
}
