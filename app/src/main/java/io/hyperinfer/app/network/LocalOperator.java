package io.hyperinfer.app.network;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.Random;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.PutResult;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.network.SignedRoster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The operator's side of a network run by {@code up} and {@code demo}: the operator folder {@code hyperinfer network}
 * manages ({@code network.key}, {@code session.key}, {@code roster.bin}), made on first use and reused after, so a
 * network keeps its key across restarts of {@code up} and {@code hyperinfer network admit --dir ...} edits the same
 * roster. Not thread-safe: one launcher process edits the folder at a time.
 */
public final class LocalOperator {
  private final OperatorFiles files;
  private final NetworkKey network;
  private SignedRoster roster;

  private LocalOperator(OperatorFiles files, NetworkKey network, SignedRoster roster) {
    this.files = files;
    this.network = network;
    this.roster = roster;
  }

  /** The network in {@code dir}, created there (keys, an empty roster naming the session key) when there is none. */
  public static LocalOperator openOrCreate(Path dir) throws IOException {
    OperatorFiles files = new OperatorFiles(dir);
    if (!files.exists()) {
      NetworkKey created = NetworkKey.generate();
      files.writeSeed(files.sessionKey(), Random.bytes(Ed25519.SEED_BYTES));
      files.writeSeed(files.networkKey(), created.seed());
      files.storeRoster(created.sign(Roster.empty(created.hex()).withSessionKey(files.sessionPublicKey())));
    }
    NetworkKey network = files.loadNetworkKey();
    return new LocalOperator(files, network, files.loadRoster(network));
  }

  /**
   * Gives every key of {@code members} its role; signs and stores a new roster only when that changes anything.
   * Returns the roster in force.
   */
  public SignedRoster admit(Map<String, Role> members) {
    Roster next = roster.roster();
    for (Map.Entry<String, Role> m : members.entrySet()) {
      if (!next.rolesOf(m.getKey()).contains(m.getValue())) {
        next = next.admit(m.getKey(), m.getValue());
      }
    }
    if (next != roster.roster()) {
      roster = network.sign(next);
      files.storeRoster(roster);
    }
    return roster;
  }

  /** Writes the roster in force to a member's own cache file (what its {@code network.roster} names). */
  public void seed(Path rosterFile) {
    new RosterCache(rosterFile).store(roster);
  }

  /** Publishes the roster in force as the network's mutable record on the DHT reached through {@code bootstrap}. */
  public PutResult publish(List<HostPort> bootstrap) {
    return Publisher.publish(bootstrap, network, roster);
  }

  /** The network's public key, hex. */
  public String networkKey() {
    return network.hex();
  }

  /** The file holding the session key's seed, for Auth's {@code auth.sessionKeyFile}. */
  public Path sessionKeyFile() {
    return files.sessionKey();
  }

  /** The operator's copy of the roster. */
  public Path rosterFile() {
    return files.roster();
  }

  /** The operator folder. */
  public Path dir() {
    return files.dir();
  }

  public SignedRoster roster() {
    return roster;
  }
}
