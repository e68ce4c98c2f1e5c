package io.hyperinfer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.worker.Json;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code up} from the packaged jar (bootstrap node, DHT nodes, Auth, a Gateway, a Processor as processes), then
 * {@code serve-openai} and {@code cli} in this JVM joining it: through the network file of its data directory, or
 * {@code --bootstrap}; credentials in the config folder. The network is this JVM's {@link SharedUp}, whose close
 * proves SIGTERM stops every process cleanly.
 */
@Order(1) // app/pom.xml: the run order of the two test threads
@Timeout(300)
@ExtendWith(SharedUp.class)
class LocalCommandsIT {
  private static RunningUp up;

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final HttpClient http = HttpClient.newHttpClient();
  private ServingOpenAi serve;

  @BeforeAll
  static void joinNetwork(RunningUp shared) {
    up = shared;
  }

  @AfterEach
  void stop() throws Exception {
    if (serve != null) {
      serve.close();
    }
  }

  private HttpResponse<String> post(String url, String key, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeChatCompletionsAndModelsWhenUserHasKeyFromNetwork() throws Exception {
    serve = new ServingOpenAi("--data-dir", up.dir.toString());
    String url = serve.baseUrl;
    String key = serve.apiKey("olga@example.com");

    HttpResponse<String> json = post(url, key, "{\"model\":\"builtin-echo\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"hello launcher\"}]}");
    assertEquals(200, json.statusCode(), json.body());
    JsonNode body = Json.parse(json.body());
    assertTrue(body.path("choices").path(0).path("message").path("content").asText().endsWith("hello launcher"));
    assertTrue(body.path("usage").path("total_tokens").asInt() > 0);

    HttpResponse<String> sse = post(url, key, "{\"model\":\"builtin-echo\",\"stream\":true,\"messages\":[{\"role\":"
        + "\"user\",\"content\":\"stream it\"}]}");
    assertEquals(200, sse.statusCode());
    List<String> events = sse.body().lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    assertEquals("[DONE]", events.getLast());
    StringBuilder text = new StringBuilder();
    for (String e : events.subList(0, events.size() - 1)) {
      text.append(Json.parse(e).path("choices").path(0).path("delta").path("content").asText(""));
    }
    assertTrue(text.toString().endsWith("stream it"), text.toString());

    HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/models"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, models.statusCode());
    assertEquals(List.of("all-minilm-l6-v2", "builtin-echo"), Json.parse(models.body()).findValuesAsText("id"));

    HttpResponse<String> embedded = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/embeddings"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"all-minilm-l6-v2\",\"input\":\"on by default\"}"))
        .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, embedded.statusCode(), embedded.body());
    assertEquals(384, Json.parse(embedded.body()).at("/data/0/embedding").size());
    assertTrue(serve.out.toString().contains("Joined the network through " + up.bootstrap), serve.out.toString());

    assertEquals(401, post(url, "hi_not-a-key", "{\"model\":\"builtin-echo\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"x\"}]}").statusCode());
  }

  private int cli(Path home, String input, String... args) {
    CommandLine cl = Hyperinfer.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    ((CliCommand) cl.getSubcommands().get("cli").getCommand()).in = new BufferedReader(new StringReader(input));
    List<String> all = new java.util.ArrayList<>(List.of("cli", "--data-dir", home.toString()));
    all.addAll(up.join());
    all.addAll(List.of(args));
    return cl.execute(all.toArray(String[]::new));
  }

  @Test
  void shouldKeepCredentialsInTheConfigFolderBetweenCliRuns() {
    Path stores = dir.resolve("home");
    assertEquals(0, cli(stores, "", "register", "--email", "pat@example.com", "--password", "Tea-pot-77-kettle"),
        out.toString());
    assertEquals(0, cli(stores, "", "login", "--email", "pat@example.com", "--password", "Tea-pot-77-kettle"),
        out.toString());
    assertEquals(0, cli(stores, "", "keys", "create", "--name", "laptop"), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(0, cli(stores, "", "infer", "remembered", "across", "runs"), out.toString());
    assertTrue(out.toString().contains("remembered across runs"), out.toString());
    assertTrue(Files.isRegularFile(stores.resolve("config/credentials.json")));
  }

  @Test
  void shouldJoinTheLocalNetworkWithNoFlagWhenGivenItsDataDirectory() {
    CommandLine cl = Hyperinfer.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    assertEquals(0, cl.execute("cli", "--data-dir", up.dir.toString(), "models"), out.toString());
    assertTrue(out.toString().contains("builtin-echo"), out.toString());
  }

  @Test
  void shouldSayHowToStartANetworkWhenThereIsNoneToJoin() {
    CommandLine cl = Hyperinfer.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(out, true));
    assertEquals(1, cl.execute("cli", "--data-dir", dir.resolve("nothing").toString(), "models"));
    assertTrue(out.toString().contains("hyperinfer up"), out.toString());
    assertFalse(out.toString().contains("Exception"), out.toString());
  }

  @Test
  void shouldPrintErrorCodeAndExitOneWhenCliCommandFails() {
    assertEquals(1, cli(dir.resolve("empty"), "", "login", "--email", "nobody@example.com", "--password", "x"));
    assertTrue(out.toString().contains("[ERR_"), out.toString());
    assertFalse(out.toString().contains("Exception"), out.toString());
  }

  private String keyIdIn(String text) {
    return text.lines().filter(l -> l.startsWith("key id: ")).reduce((a, b) -> b).orElseThrow().substring(8).strip();
  }

  @Test
  void shouldForgetTheSavedKeyAndKeepWorkingWhenTheKeyInUseIsRevoked() throws Exception {
    Path laptop = dir.resolve("laptop");
    Path phone = dir.resolve("phone");
    String password = "Tea-pot-77-kettle";
    assertEquals(0, cli(laptop, password + "\n", "register", "--email", "rev@example.com", "--password-stdin"),
        out.toString());
    assertEquals(0, cli(laptop, password + "\n", "login", "--email", "rev@example.com", "--password-stdin"));
    assertEquals(0, cli(laptop, "", "keys", "create", "--name", "laptop"), out.toString());
    String laptopKey = keyIdIn(out.toString());
    assertEquals(0, cli(laptop, "", "keys", "create", "--name", "second"), out.toString());
    String secondKey = keyIdIn(out.toString());

    // Revoked here: the CLI forgets it at once and later commands use the session.
    out.getBuffer().setLength(0);
    assertEquals(0, cli(laptop, "", "keys", "revoke", secondKey), out.toString());
    assertTrue(out.toString().contains("forgotten; later commands use your session"), out.toString());
    assertFalse(Files.readString(laptop.resolve("config/credentials.json")).contains("apiKey"));
    out.getBuffer().setLength(0);
    assertEquals(0, cli(laptop, "", "usage", "--days", "1"), out.toString());
    assertTrue(out.toString().contains("total "), out.toString());

    // Revoked from another machine: the next command says so, forgets it, and goes on with the session.
    assertEquals(0, cli(laptop, "", "keys", "create", "--name", "third"), out.toString());
    String third = keyIdIn(out.toString());
    assertTrue(!third.equals(laptopKey));
    assertEquals(0, cli(phone, password + "\n", "login", "--email", "rev@example.com", "--password-stdin"));
    assertEquals(0, cli(phone, "", "keys", "revoke", third), out.toString());
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> {
      out.getBuffer().setLength(0);
      assertEquals(0, cli(laptop, "", "usage", "--days", "1"), out.toString());
      return out.toString().contains("note: the API key saved for rev@example.com is not valid any more");
    });
    assertFalse(Files.readString(laptop.resolve("config/credentials.json")).contains("apiKey"));
  }

  @Test
  void shouldSwitchForgetAndLogOutWhenTwoAccountsAreSaved() throws Exception {
    Path home = dir.resolve("shared");
    String password = "Tea-pot-77-kettle";
    for (String email : List.of("ann@example.com", "bob@example.com")) {
      assertEquals(0, cli(home, password + "\n", "register", "--email", email, "--password-stdin"), out.toString());
      assertEquals(0, cli(home, password + "\n", "login", "--email", email, "--password-stdin"), out.toString());
    }
    out.getBuffer().setLength(0);
    assertEquals(0, cli(home, "", "accounts"));
    assertEquals(List.of("  ann@example.com", "* bob@example.com"), out.toString().lines().toList());
    assertEquals(0, cli(home, "", "accounts", "use", "ann@example.com"));
    out.getBuffer().setLength(0);
    assertEquals(0, cli(home, "", "keys", "create", "--name", "ann-key"), out.toString());
    assertEquals(0, cli(home, "", "keys", "list"), out.toString());
    assertTrue(out.toString().contains("ann-key") && out.toString().contains("(used by this machine)"),
        out.toString());

    out.getBuffer().setLength(0);
    assertEquals(0, cli(home, "", "logout"), out.toString());
    assertTrue(out.toString().contains("logged out ann@example.com"), out.toString());
    out.getBuffer().setLength(0);
    assertEquals(1, cli(home, "", "keys", "create"));
    assertTrue(out.toString().contains("error: no account is in use: log in with 'hyperinfer cli login --email EMAIL'"
        + " or pick a saved one with 'hyperinfer cli accounts use EMAIL'"), out.toString());
    assertEquals(0, cli(home, "", "accounts", "forget", "bob@example.com"));
    out.getBuffer().setLength(0);
    assertEquals(0, cli(home, "", "accounts", "list"));
    assertTrue(out.toString().contains("no saved accounts"), out.toString());
  }

  /** {@code hyperinfer cli ARGS models} started as a process of the packaged jar. */
  private io.hyperinfer.app.launch.Child modelsInProcess(String name, String... args) throws Exception {
    List<String> all = new java.util.ArrayList<>(List.of("cli", "--data-dir", dir.resolve(name).toString()));
    all.addAll(List.of(args));
    all.add("models");
    return io.hyperinfer.app.launch.TestLaunchers.jar().start(name, all, dir.resolve(name + ".log"));
  }

  /** The exit status and output of a {@link #modelsInProcess} process, once it ended. */
  private String ended(io.hyperinfer.app.launch.Child cli) throws Exception {
    cli.onExit().get(60, java.util.concurrent.TimeUnit.SECONDS);
    return cli.exitStatusOnceDrained() + ": " + Files.readString(cli.log());
  }

  @Test
  void shouldFindNoGatewayWhenJoiningOutsideTheNetworkUpRuns() throws Exception {
    // both at once: each waits out client.gatewayWait on its own data folder
    var openCli = modelsInProcess("open", "--bootstrap", up.bootstrap);
    var otherCli = modelsInProcess("other", "--bootstrap", up.bootstrap, "--network", "ab".repeat(32));
    String open = ended(openCli);
    assertTrue(open.startsWith("1: ") && open.contains("looked up the gateways' topic: 0 found")
        && open.contains("ERR_NO_GATEWAY"), "open topics: the network's gateway is invisible\n" + open);
    String other = ended(otherCli);
    assertTrue(other.startsWith("1: ") && other.contains("looked up the gateways' topic: 0 found"),
        "another network's key: nothing to see\n" + other);
    java.util.Optional<io.hyperinfer.app.launch.NetworkFile> file = io.hyperinfer.app.launch.NetworkFile.read(
        io.hyperinfer.worker.fs.DataDirs.under(up.dir));
    assertEquals(java.util.Optional.of(up.network), file.flatMap(io.hyperinfer.app.launch.NetworkFile::network));
    var roster = new io.hyperinfer.network.RosterCache(file.flatMap(io.hyperinfer.app.launch.NetworkFile::roster)
        .orElseThrow()).load(io.hyperinfer.network.NetworkKey.parse(up.network)).orElseThrow().roster();
    assertEquals(3, roster.members().size(), "auth, gateway and the one processor are in the signed roster");
    assertTrue(roster.session().isPresent(), "the roster names the session key Auth signs with");
  }

  @Test
  void shouldShowBootstrapLookupAndGatewayWhenCliJoins() {
    assertEquals(0, cli(dir.resolve("p"), "", "models"), out.toString());
    assertTrue(out.toString().contains("joining the network through DHT bootstrap " + up.bootstrap), out.toString());
    assertTrue(out.toString().matches("(?s).*looked up the gateways' topic: 1 found, using gateway [0-9a-f]{8}.*"),
        out.toString());
  }
}
