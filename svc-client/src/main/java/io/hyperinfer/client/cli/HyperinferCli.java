package io.hyperinfer.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.hyperinfer.client.Answer;
import io.hyperinfer.client.ClientException;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.client.InferCall;
import io.hyperinfer.client.Message;
import io.hyperinfer.client.Prompt;
import io.hyperinfer.client.openai.OpenAiServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The {@code hyperinfer} command line: register, login, keys create|list|revoke, infer, chat, usage, models,
 * serve-openai. The launcher supplies how to reach the network (a started {@link ClientWorker}); the session and API
 * key are kept in a credentials file between commands. Errors print in plain words with their code; exit status 1.
 */
public final class HyperinferCli {
  private final Supplier<ClientWorker> connect;
  private final CredentialStore credentials;
  private final BufferedReader in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final CountDownLatch serveUntil;
  private final Passwords passwords;
  private ClientWorker client;

  /** A command line whose password prompt is the terminal ({@link PasswordPrompt#terminal()}). */
  public HyperinferCli(Supplier<ClientWorker> connect, Path credentialsFile, BufferedReader in, PrintWriter out,
      PrintWriter err, CountDownLatch serveUntil) {
    this(connect, credentialsFile, in, out, err, serveUntil, PasswordPrompt.terminal());
  }

  /**
   * @param connect starts a client on the network (called once per command)
   * @param credentialsFile where the session and API key are kept
   * @param in standard input: chat lines, a password with {@code --password-stdin}
   * @param serveUntil serve-openai runs until this latch opens (the launcher opens it on Ctrl-C)
   * @param prompt asks for a password no flag gave
   */
  public HyperinferCli(Supplier<ClientWorker> connect, Path credentialsFile, BufferedReader in, PrintWriter out,
      PrintWriter err, CountDownLatch serveUntil, PasswordPrompt prompt) {
    this.connect = connect;
    this.credentials = new CredentialStore(credentialsFile);
    this.in = in;
    this.out = out;
    this.err = err;
    this.serveUntil = serveUntil;
    this.passwords = new Passwords(in, prompt);
  }

  /** Runs one command; returns the exit status. */
  public int run(String... args) {
    CommandLine root = new CommandLine(new Root());
    root.addSubcommand("register", new Register());
    root.addSubcommand("login", new Login());
    CommandLine keys = new CommandLine(new Keys());
    keys.addSubcommand("create", new KeysCreate());
    keys.addSubcommand("list", new KeysList());
    keys.addSubcommand("revoke", new KeysRevoke());
    root.addSubcommand("keys", keys);
    root.addSubcommand("infer", new Infer());
    root.addSubcommand("chat", new Chat());
    root.addSubcommand("usage", new Usage());
    root.addSubcommand("models", new Models());
    root.addSubcommand("serve-openai", new ServeOpenAi());
    root.setOut(out);
    root.setErr(err);
    root.setExecutionExceptionHandler((e, cmd, parsed) -> {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof ClientException ce) {
        err.println("error: " + ce.plainMessage());
      } else {
        err.println("error: " + cause.getMessage());
      }
      err.flush();
      return 1;
    });
    try {
      return root.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private ClientWorker client() {
    if (client == null) {
      err.println("connecting to the network...");
      err.flush();
      client = connect.get();
      JsonNode saved = credentials.load();
      if (saved.hasNonNull("session")) {
        client.useSession(saved.get("session").asText());
      }
      if (saved.hasNonNull("apiKey")) {
        client.useApiKey(saved.get("apiKey").asText());
      }
      err.println("connected; gateways found: " + client.gatewaysFound().size());
      err.flush();
    }
    return client;
  }

  private void save() {
    credentials.save(client.session(), client.apiKey());
  }

  private void printAnswerFooter(Answer a) {
    JsonNode t = a.timings();
    err.printf("(%d prompt + %d answer tokens, first token %.1f ms, total %.1f ms, processor %s, attempts %d)%n",
        a.promptTokens(), a.completionTokens(), t.path("engineTtftMs").asDouble(), t.path("totalMs").asDouble(),
        a.processor(), a.attempts());
    err.flush();
  }

  private Answer streamTo(Prompt prompt) {
    InferCall call = client().stream(prompt, text -> {
      out.print(text);
      out.flush();
    });
    Answer a = call.done().join();
    out.println();
    out.flush();
    printAnswerFooter(a);
    return a;
  }

  @Command(name = "hyperinfer", mixinStandardHelpOptions = true, version = "hyperinfer 0.1",
      description = "Use the Hyperinfer peer-to-peer inference network.")
  final class Root implements Callable<Integer> {
    @Override
    public Integer call() {
      new CommandLine(this).usage(err);
      return 2;
    }
  }

  /** The password options of register and login. */
  static final class PasswordOptions {
    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean stdin;
    @Option(names = "--password", description = "The password itself (other users can see it in ps and it stays "
        + "in your shell history: prefer the prompt or --password-stdin).")
    String value;
  }

  @Command(name = "register", description = "Create an account; asks for the password (twice) unless "
      + "--password-stdin gives it.")
  final class Register implements Callable<Integer> {
    @Option(names = "--email", required = true) String email;
    @picocli.CommandLine.Mixin PasswordOptions password = new PasswordOptions();

    @Override
    public Integer call() {
      String secret = passwords.read(password.value, password.stdin, true);
      JsonNode user = client().register(email, secret);
      out.println("registered " + user.path("email").asText() + " (user " + user.path("userId").asText() + ")");
      return 0;
    }
  }

  @Command(name = "login", description = "Log in; the session is saved for later commands. Asks for the password "
      + "unless --password-stdin gives it.")
  final class Login implements Callable<Integer> {
    @Option(names = "--email", required = true) String email;
    @picocli.CommandLine.Mixin PasswordOptions password = new PasswordOptions();

    @Override
    public Integer call() {
      String secret = passwords.read(password.value, password.stdin, false);
      JsonNode s = client().login(email, secret);
      save();
      out.println("logged in as " + s.path("email").asText() + " until " + s.path("expiresAt").asText());
      return 0;
    }
  }

  @Command(name = "keys", description = "Manage API keys: create, list, revoke.")
  final class Keys implements Callable<Integer> {
    @Override
    public Integer call() {
      err.println("use: keys create --name N | keys list | keys revoke KEY_ID");
      return 2;
    }
  }

  @Command(name = "create", description = "Create an API key (shown once) and use it for later commands.")
  final class KeysCreate implements Callable<Integer> {
    @Option(names = "--name", defaultValue = "cli") String name;

    @Override
    public Integer call() {
      JsonNode k = client().createApiKey(name);
      save();
      out.println("API key (shown once, keep it secret): " + k.path("apiKey").asText());
      out.println("key id: " + k.path("key").path("keyId").asText());
      return 0;
    }
  }

  @Command(name = "list", description = "List your API keys.")
  final class KeysList implements Callable<Integer> {
    @Override
    public Integer call() {
      for (JsonNode k : client().listApiKeys().path("keys")) {
        out.printf("%s  %-16s %s%n", k.path("keyId").asText(), k.path("name").asText(),
            k.path("revoked").asBoolean() ? "revoked" : "active");
      }
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke an API key by id.")
  final class KeysRevoke implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KEY_ID") String keyId;

    @Override
    public Integer call() {
      client().revokeApiKey(keyId);
      out.println("revoked " + keyId + " (gateways stop accepting it within their validation TTL, 5 s by default)");
      return 0;
    }
  }

  @Command(name = "infer", description = "Ask once; the answer streams as it is generated.")
  final class Infer implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "builtin-echo") String model;
    @Option(names = "--max-tokens", defaultValue = "256") int maxTokens;
    @Parameters(arity = "1..*", paramLabel = "PROMPT") List<String> words;

    @Override
    public Integer call() {
      streamTo(Prompt.of(model, String.join(" ", words)).withMaxTokens(maxTokens));
      return 0;
    }
  }

  @Command(name = "chat", description = "Talk interactively; an empty line or /exit ends.")
  final class Chat implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "builtin-echo") String model;

    @Override
    public Integer call() throws IOException {
      List<Message> history = new ArrayList<>();
      while (true) {
        out.print("> ");
        out.flush();
        String line = in.readLine();
        if (line == null || line.isBlank() || line.trim().equals("/exit")) {
          return 0;
        }
        history.add(Message.user(line));
        Answer a = streamTo(new Prompt(model, history, 256, 0.7));
        history.add(Message.assistant(a.text()));
      }
    }
  }

  @Command(name = "usage", description = "Your requests and tokens per day.")
  final class Usage implements Callable<Integer> {
    @Option(names = "--days", defaultValue = "7") int days;

    @Override
    public Integer call() {
      JsonNode u = client().usage(days);
      for (JsonNode d : u.path("days")) {
        out.printf("%s  %4d requests (%d failed)  %6d tokens%n", d.path("day").asText(), d.path("requests").asLong(),
            d.path("failed").asLong(), d.path("totalTokens").asLong());
      }
      JsonNode t = u.path("total");
      out.printf("total %d requests, %d failed, %d prompt + %d answer tokens (from %d gateways)%n",
          t.path("requests").asLong(), t.path("failed").asLong(), t.path("promptTokens").asLong(),
          t.path("completionTokens").asLong(), u.path("gateways").asInt());
      return 0;
    }
  }

  @Command(name = "models", description = "Models served now.")
  final class Models implements Callable<Integer> {
    @Override
    public Integer call() {
      for (JsonNode m : client().models().path("models")) {
        out.println(m.path("id").asText() + "  (" + m.path("processors").asInt() + " processors)");
      }
      return 0;
    }
  }

  @Command(name = "serve-openai", description = "Serve an OpenAI-compatible API on this machine.")
  final class ServeOpenAi implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--port", defaultValue = "8080") int port;

    @Override
    public Integer call() throws Exception {
      try (OpenAiServer server = new OpenAiServer(client(), host, port)) {
        out.println("OpenAI-compatible API on http://" + host + ":" + server.port()
            + "/v1 (use your Hyperinfer API key as the Bearer token)");
        out.flush();
        serveUntil.await();
      }
      return 0;
    }
  }
}
