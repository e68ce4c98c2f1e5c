package io.hyperinfer.app.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.LauncherException;
import io.hyperinfer.app.launch.NetworkFile;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerSetupTest {
  private static final Consumer<ObjectNode> NO_FLAGS = t -> { };

  @TempDir
  Path dir;

  private WorkerSetup resolve(Path config, String env, String bootstrap, List<String> overrides,
      Map<String, String> environment) {
    return WorkerSetup.resolve("gateway", new WorkerSetup.Flags(config, env, dir.resolve("data-root"), "2", bootstrap,
        null, overrides, NO_FLAGS), environment, dir.resolve("home"));
  }

  private Path configFolder() throws Exception {
    Path config = dir.resolve("config");
    Files.createDirectories(config.resolve("facs"));
    Files.writeString(config.resolve("common.json"), "{\"gateway\": {\"statusInterval\": \"2s\", \"maxAttempts\": 3}}");
    Files.writeString(config.resolve("staging.json"), "{\"gateway\": {\"statusInterval\": \"500ms\"}}");
    Files.writeString(config.resolve("facs/net.config.json"), "{\"bootstrap\": [\"10.0.0.1:49737\"]}");
    Files.writeString(config.resolve("facs/ops.config.json"), "{\"port\": 9101}");
    Files.writeString(config.resolve("facs/staging.ops.config.json"), "{\"port\": 9201}");
    return config;
  }

  @Test
  void shouldLayerFilesThenOverridesThenFlagsWhenAllAreGiven() throws Exception {
    Path config = configFolder();
    WorkerSetup setup = WorkerSetup.resolve("gateway", new WorkerSetup.Flags(config, "staging", dir.resolve("d"), "2",
        "127.0.0.1:4000", "0", List.of("gateway.maxAttempts=5"), t -> t.withObjectProperty("gateway")
        .put("flag", true)), Map.of(), dir);
    Config c = setup.config();
    assertEquals("500ms", c.string("gateway.statusInterval"), "<env>.json over common.json");
    assertEquals(5, c.intValue("gateway.maxAttempts"), "--set over the files");
    assertEquals("[\"127.0.0.1:4000\"]", c.at("/facs/net/bootstrap").toString(), "--bootstrap over net.config.json");
    assertEquals(0, c.intValue("facs.ops.port"), "--ops-port over ops.config.json");
    assertTrue(c.bool("gateway.flag"), "the command's flags last");
    assertEquals("staging", setup.context().env());
    assertEquals("2", setup.context().instanceId());
    Path store = DataDirs.under(dir.resolve("d")).workerStore("gateway", "2");
    assertEquals(store, setup.storeDir());
    assertEquals(store.toString(), c.string("store.dir"));
  }

  @Test
  void shouldTakeTheEnvironmentFromTheVariableWhenNoFlagNamesIt() throws Exception {
    Path config = configFolder();
    WorkerSetup staged = resolve(config, null, null, List.of(), Map.of(WorkerSetup.ENV_VARIABLE, "staging"));
    assertEquals(9201, staged.config().intValue("facs.ops.port"));
    WorkerSetup plain = resolve(config, null, null, List.of(), Map.of());
    assertEquals("production", plain.context().env());
    assertEquals(9101, plain.config().intValue("facs.ops.port"));
    assertEquals("[\"10.0.0.1:49737\"]", plain.config().at("/facs/net/bootstrap").toString());
  }

  @Test
  void shouldReadOneJsonFileAndPlaceTheStoreWhereConfigSaysWhenGivenAFile() throws Exception {
    Path file = dir.resolve("gw.json");
    Files.writeString(file, "{\"facs\": {\"net\": {\"bootstrap\": \"127.0.0.1:1\"}, \"store\": {\"dir\": \"gw\"}}}");
    WorkerSetup setup = resolve(file, null, null, List.of(), Map.of());
    assertEquals(DataDirs.under(dir.resolve("data-root")).data().resolve("gw"), setup.storeDir());
    Files.writeString(file, "{\"facs\": {\"net\": {\"bootstrap\": \"127.0.0.1:1\"}}, \"store\": {\"dir\": \"/abs\"}}");
    assertEquals(Path.of("/abs"), resolve(file, null, null, List.of(), Map.of()).storeDir());
  }

  @Test
  void shouldJoinTheLocalNetworkWhenNoBootstrapIsConfigured() throws Exception {
    DataDirs dirs = DataDirs.under(dir.resolve("data-root"));
    new NetworkFile(List.of(new HostPort("127.0.0.1", 4555)), ProcessHandle.current().pid(), Instant.now())
        .write(dirs);
    WorkerSetup setup = resolve(null, null, null, List.of(), Map.of());
    assertEquals("[\"127.0.0.1:4555\"]", setup.config().at("/facs/net/bootstrap").toString());
  }

  @Test
  void shouldSayHowToJoinWhenThereIsNoBootstrapAnywhere() {
    LauncherException e = assertThrows(LauncherException.class,
        () -> resolve(null, null, null, List.of(), Map.of()));
    assertEquals(LauncherException.Code.NO_NETWORK, e.code());
    assertTrue(e.getMessage().contains("--bootstrap HOST:PORT") && e.getMessage().contains("facs.net.bootstrap")
        && e.getMessage().contains("hyperinfer up"), e.getMessage());
  }

  @Test
  void shouldNameTheProblemWhenAnInputIsBad() throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"gateway\": ");
    assertTrue(assertThrows(ConfigException.class, () -> resolve(file, null, "127.0.0.1:1", List.of(), Map.of()))
        .getMessage().contains("malformed JSON in " + file));
    Files.writeString(file, "[1]");
    assertTrue(assertThrows(ConfigException.class, () -> resolve(file, null, "127.0.0.1:1", List.of(), Map.of()))
        .getMessage().contains("must hold a JSON object"));
    assertTrue(assertThrows(LauncherException.class, () -> resolve(dir.resolve("nope"), null, "127.0.0.1:1",
        List.of(), Map.of())).getMessage().startsWith("--config " + dir.resolve("nope") + " does not exist"));
    assertEquals("--bootstrap: 'x' is not HOST:PORT", assertThrows(LauncherException.class,
        () -> resolve(null, null, "x", List.of(), Map.of())).getMessage());
    assertThrows(ConfigException.class, () -> resolve(null, null, "127.0.0.1:1", List.of("no-equals"), Map.of()));
    assertTrue(assertThrows(LauncherException.class, () -> resolve(null, "../x", "127.0.0.1:1", List.of(), Map.of()))
        .getMessage().startsWith("the environment name '../x'"));
    assertTrue(assertThrows(LauncherException.class, () -> WorkerSetup.resolve("auth", new WorkerSetup.Flags(null,
        null, dir, "a/b", "127.0.0.1:1", null, List.of(), NO_FLAGS), Map.of(), dir)).getMessage()
        .startsWith("--instance 'a/b'"));
    assertEquals("--ops-port: bad port '70000': use 0..65535", assertThrows(LauncherException.class,
        () -> WorkerSetup.resolve("auth", new WorkerSetup.Flags(null, null, dir, "1", "127.0.0.1:1", "70000",
            List.of(), NO_FLAGS), Map.of(), dir)).getMessage());
  }

  @Test
  void shouldAddCheckedGatewayKeysWhenAllowGatewayIsGiven() {
    ObjectNode tree = io.hyperinfer.worker.Json.object();
    tree.putObject("auth").putArray("gateways").add("cd".repeat(32));
    GatewayKeys.add(tree, "auth", "gateways", List.of("AB".repeat(32)));
    assertEquals("[\"" + "cd".repeat(32) + "\",\"" + "ab".repeat(32) + "\"]", tree.at("/auth/gateways").toString());
    LauncherException e = assertThrows(LauncherException.class,
        () -> GatewayKeys.add(tree, "processor", "allowedGateways", List.of("xyz")));
    assertTrue(e.getMessage().startsWith("--allow-gateway 'xyz' is not a public key"), e.getMessage());
  }
}
