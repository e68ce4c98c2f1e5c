package io.hyperinfer.app.launch;

import io.hyperinfer.app.network.LocalOperator;
import io.hyperinfer.app.worker.WorkerKeys;
import io.hyperinfer.network.Role;
import io.hyperinfer.worker.fs.DataDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The workers of a {@link NetworkPlan} with {@link NetworkPlan.Trust}, admitted to its network before any of them
 * starts: each worker's key is read from its store, given its role in the roster (with the plan's guests), and the
 * signed roster is written to each worker's own cache file ({@link NetworkConfig#rosterCache}), so every worker
 * trusts the others from its first moment instead of after its first DHT refresh. Immutable.
 *
 * @param operator the network's operator side
 * @param rosters the roster cache file of each worker, by child name
 */
record Membership(LocalOperator operator, Map<String, Path> rosters) {
  Membership {
    rosters = Map.copyOf(rosters);
  }

  /** Admits the plan's workers ({@code gatewayKeys} already read, in order) and seeds their roster caches. */
  static Membership admit(NetworkPlan plan, DataDirs dirs, List<String> gatewayKeys) throws IOException {
    LocalOperator operator = LocalOperator.openOrCreate(plan.operatorDir());
    Map<String, Role> roles = new LinkedHashMap<>(plan.trust().orElseThrow().guests());
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= gatewayKeys.size(); i++) {
      roles.put(gatewayKeys.get(i - 1), Role.GATEWAY);
      names.add(ProcessNetwork.gateway(i));
    }
    roles.put(key(dirs, ProcessNetwork.AUTH, "1"), Role.AUTH);
    names.add(ProcessNetwork.AUTH);
    for (int i = 1; i <= plan.processors(); i++) {
      roles.put(key(dirs, "processor", Integer.toString(i)), Role.PROCESSOR);
      names.add(ProcessNetwork.processor(i));
    }
    operator.admit(roles);
    Map<String, Path> rosters = new LinkedHashMap<>();
    for (String name : names) {
      Path file = NetworkConfig.rosterCache(dirs, operator.networkKey(), name);
      operator.seed(file);
      rosters.put(name, file);
    }
    return new Membership(operator, rosters);
  }

  private static String key(DataDirs dirs, String type, String instance) throws IOException {
    return WorkerKeys.keyPair(type, instance, dirs.workerStore(type, instance)).publicKeyHex();
  }

  /** The arguments that put worker {@code name} in the network: its key, its roster cache, Auth's session key. */
  List<String> args(String name) {
    List<String> args = new ArrayList<>(List.of("--set", "network.key=" + operator.networkKey(), "--set",
        "network.roster=" + rosters.get(name)));
    if (name.equals(ProcessNetwork.AUTH)) {
      args.addAll(List.of("--set", "auth.sessionKeyFile=" + operator.sessionKeyFile()));
    }
    return args;
  }
}
