package io.hyperinfer.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.services.testkit.ServiceNetwork;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.testkit.TestDataFactory;
import io.hyperinfer.worker.testkit.TestNetwork;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a whole in-process network; each run is one command, as a user would type it. */
@Timeout(30)
class HyperinferCliIT {
  private final ServiceNetwork services = ServiceNetwork.realTime(5);
  private final TestNetwork net = services.network();
  @TempDir Path home;
  private StringWriter out;
  private StringWriter err;

  @BeforeEach
  void start() {
    services.gateway(new GatewayWorker(TestDataFactory.context("gateway"),
        Config.of(Json.parse("{\"gateway\":{\"limits\":{\"requestsPerMinute\":3}}}")), net.facilities()));
    services.auth();
    services.processor("{}");
  }

  @AfterEach
  void stop() {
    services.close();
  }

  private int run(String input, String... args) {
    return run(input, PasswordPrompt.none(), args);
  }

  private int run(String input, PasswordPrompt prompt, String... args) {
    out = new StringWriter();
    err = new StringWriter();
    HyperinferCli cli = new HyperinferCli(() -> services.start(new ClientWorker(TestDataFactory.context("client"),
        Config.empty(), net.facilities())), home.resolve("credentials.json"),
        new BufferedReader(new StringReader(input)), new PrintWriter(out), new PrintWriter(err),
        new CountDownLatch(0), prompt);
    return cli.run(args);
  }

  @Test
  void shouldWalkJourneyWhenUserTypesCommands() throws Exception {
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    assertEquals(0, run(password + "\n", "register", "--email", email, "--password-stdin"));
    assertTrue(out.toString().contains("registered " + email));
    assertEquals(0, run("", p -> password.toCharArray(), "login", "--email", email));
    assertEquals(0, run("", "keys", "create", "--name", "laptop"));
    assertTrue(out.toString().contains("API key (shown once"));
    assertTrue(Files.readString(home.resolve("credentials.json")).contains("apiKey"));
    assertEquals(0, run("", "infer", "hello", "from", "cli"));
    assertTrue(out.toString().trim().endsWith("hello from cli"), out.toString());
    assertTrue(err.toString().contains("processor"));
    assertEquals(0, run("first line\nsecond line\n/exit\n", "chat"));
    assertTrue(out.toString().contains("first line") && out.toString().contains("second line"));
    assertEquals(0, run("", "usage", "--days", "1"));
    assertTrue(out.toString().contains("total 3 requests"), out.toString());
    assertEquals(0, run("", "models"));
    assertTrue(out.toString().contains("builtin-echo  (1 processors)"));
    assertEquals(0, run("", "keys", "list"));
    String keyId = out.toString().split("\\s+")[0];
    assertEquals(1, run("", "infer", "over", "the", "limit"));
    assertTrue(err.toString().contains("[ERR_RATE_LIMITED]"), err.toString());
    assertEquals(0, run("", "keys", "revoke", keyId));
    assertTrue(out.toString().contains("revoked " + keyId));
  }

  @Test
  void shouldExplainErrorsInPlainWordsWhenLoginFails() {
    assertEquals(1, run("", "login", "--email", "nobody@example.test", "--password", "Wrong-password-1"));
    assertTrue(err.toString().contains("Wrong email or password. [ERR_INVALID_CREDENTIALS]"), err.toString());
    assertEquals(1, run("", "keys", "list"));
    assertTrue(err.toString().contains("[ERR_UNAUTHORIZED]"));
    assertEquals(2, run(""));
    assertEquals(2, run("", "keys"));
  }

  @Test
  void shouldAskTwiceAtThePromptAndNeverConnectWhenNoPasswordCanBeHad() {
    String email = TestDataFactory.email();
    String password = TestDataFactory.password();
    java.util.List<String> asked = new java.util.ArrayList<>();
    assertEquals(1, run("", p -> {
      asked.add(p);
      return (asked.size() == 1 ? password : password + "x").toCharArray();
    }, "register", "--email", email));
    assertEquals(java.util.List.of("Password: ", "Repeat the password: "), asked);
    assertTrue(err.toString().contains("error: the two passwords differ"), err.toString());
    assertEquals(1, run("", "login", "--email", email));
    assertTrue(err.toString().startsWith("error: no password given and no terminal to ask for one: pipe it with "
        + "--password-stdin"), err.toString());
    assertTrue(!err.toString().contains("registered"), "nothing is sent without a password");
    assertEquals(1, run("", "login", "--email", email, "--password-stdin"));
    assertTrue(err.toString().contains("standard input holds no password line"), err.toString());
    asked.clear();
    assertEquals(0, run("", p -> {
      asked.add(p);
      return password.toCharArray();
    }, "register", "--email", email));
    assertEquals(2, asked.size());
    assertEquals(0, run("", "login", "--email", email, "--password", password), "the flag still works");
  }

  @Test
  void shouldServeOpenAiUntilLatchOpensWhenAsked() {
    assertEquals(0, run("", "serve-openai", "--port", "0"));
    assertTrue(out.toString().contains("OpenAI-compatible API on http://127.0.0.1:"));
  }
}
