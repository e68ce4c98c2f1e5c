package io.hyperinfer.app.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.LauncherException;
import io.hyperinfer.app.launch.Bootstrap;
import io.hyperinfer.app.launch.NetworkConfig;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.ConfigLoader;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.fs.DataDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What one worker process runs with, resolved from its flags, its config and its data directory, in this order (later
 * wins): the config ({@code --config}: a folder in the worker framework's layout, {@code common.json}, {@code
 * <env>.json}, {@code facs/<fac>.config.json}, {@code facs/<env>.<fac>.config.json}, or one JSON file), then
 * {@code --set key=value} overrides, then the flags ({@code --bootstrap} into {@code facs.net.bootstrap},
 * {@code --ops-port} into {@code facs.ops.port}, the command's own). The store is {@code facs.store.dir} (or the older
 * {@code store.dir}; relative to the data folder), else {@code <data>/workers/<type>-<instance>}. Without a bootstrap
 * node anywhere, the network {@code hyperinfer up} runs in the same data directory is joined. Immutable.
 *
 * @param context the worker's type, environment and instance id
 * @param config the config it starts with ({@code store.dir} set to {@link #storeDir})
 * @param storeDir its store directory, absolute
 * @param dirs the data directories
 */
record WorkerSetup(WorkerContext context, Config config, Path storeDir, DataDirs dirs) {
  /** The environment variable choosing the config environment when {@code --env} is not given. */
  static final String ENV_VARIABLE = "HYPERINFER_ENV";
  static final String DEFAULT_ENV = "production";

  /**
   * The flags of a worker command, as given.
   *
   * @param config {@code --config} or null
   * @param env {@code --env} or null
   * @param dataDir {@code --data-dir} or null
   * @param instance {@code --instance}
   * @param bootstrap {@code --bootstrap} or null
   * @param opsPort {@code --ops-port} or null
   * @param overrides {@code --set} values
   * @param commandFlags the command's own flags, applied to the config tree last
   */
  record Flags(Path config, String env, Path dataDir, String instance, String bootstrap, String opsPort,
      List<String> overrides, Consumer<ObjectNode> commandFlags) {
    Flags {
      overrides = List.copyOf(overrides);
    }
  }

  /** Resolves the setup of a worker of {@code type}; {@code environment} is the process environment. */
  static WorkerSetup resolve(String type, Flags flags, Map<String, String> environment, Path home) {
    String env = flags.env() != null ? flags.env() : environment.getOrDefault(ENV_VARIABLE, DEFAULT_ENV);
    if (!env.matches("[A-Za-z0-9_-]+")) {
      throw LauncherException.badArgument("the environment name '" + env + "' may hold only letters, digits, '_' "
          + "and '-' (--env or " + ENV_VARIABLE + ")");
    }
    if (!flags.instance().matches("[A-Za-z0-9_-]+")) {
      throw LauncherException.badArgument("--instance '" + flags.instance() + "' may hold only letters, digits, "
          + "'_' and '-'");
    }
    DataDirs dirs = flags.dataDir() != null ? DataDirs.under(flags.dataDir()) : DataDirs.forUser(environment, home);
    ObjectNode tree = ConfigLoader.withOverrides(Config.of(load(flags.config(), env)), flags.overrides()).json();
    if (flags.bootstrap() != null) {
      ArrayNode nodes = facility(tree, "net").putArray("bootstrap");
      Bootstrap.parse(Bootstrap.FLAG, flags.bootstrap()).forEach(n -> nodes.add(n.host() + ":" + n.port()));
    }
    if (flags.opsPort() != null) {
      facility(tree, "ops").put("port", Bootstrap.port("--ops-port: bad port", flags.opsPort(), true));
    }
    flags.commandFlags().accept(tree);
    if (!hasBootstrap(tree)) {
      List<HostPort> local = Bootstrap.fromNetworkFile(dirs).orElseThrow(() -> LauncherException.noNetwork(
          "no network to join: pass --bootstrap HOST:PORT, set facs.net.bootstrap in the config "
              + "(facs/net.config.json), or start a local network with 'hyperinfer up'"));
      ArrayNode nodes = facility(tree, "net").putArray("bootstrap");
      local.forEach(n -> nodes.add(n.host() + ":" + n.port()));
      NetworkConfig.fromNetworkFile(tree, dirs, type + "-" + flags.instance());
    }
    Path store = storeDir(tree, dirs, type, flags.instance());
    tree.withObjectProperty("store").put("dir", store.toString());
    return new WorkerSetup(new WorkerContext(type, env, flags.instance()), Config.of(tree), store, dirs);
  }

  private static ObjectNode load(Path config, String env) {
    if (config == null) {
      return Json.object();
    }
    if (Files.isDirectory(config)) {
      return ConfigLoader.load(config, env, List.of()).json();
    }
    if (!Files.isRegularFile(config)) {
      throw LauncherException.badArgument("--config " + config + " does not exist: give a config folder (common.json, "
          + "facs/*.config.json) or one JSON file");
    }
    try {
      JsonNode json = Json.MAPPER.readTree(config.toFile());
      if (json instanceof ObjectNode object) {
        return object;
      }
      throw ConfigException.invalid(config.getFileName().toString(), "the file must hold a JSON object");
    } catch (IOException e) {
      throw ConfigException.invalid(config.getFileName().toString(), "malformed JSON in " + config + ": "
          + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static Path storeDir(ObjectNode tree, DataDirs dirs, String type, String instance) {
    Optional<String> configured = text(tree, "/facs/store/dir").or(() -> text(tree, "/store/dir"));
    return configured.map(d -> dirs.data().resolve(d).toAbsolutePath().normalize())
        .orElseGet(() -> dirs.workerStore(type, instance));
  }

  private static Optional<String> text(ObjectNode tree, String pointer) {
    JsonNode n = tree.at(pointer);
    if (n.isMissingNode() || n.isNull()) {
      return Optional.empty();
    }
    if (!n.isTextual() || n.asText().isBlank()) {
      throw ConfigException.invalid(pointer.substring(1).replace('/', '.'), "expected a directory path");
    }
    return Optional.of(n.asText());
  }

  private static boolean hasBootstrap(ObjectNode tree) {
    JsonNode b = tree.at("/facs/net/bootstrap");
    return b.isArray() ? !b.isEmpty() : b.isTextual() && !b.asText().isBlank();
  }

  private static ObjectNode facility(ObjectNode tree, String name) {
    return tree.withObjectProperty("facs").withObjectProperty(name);
  }
}
