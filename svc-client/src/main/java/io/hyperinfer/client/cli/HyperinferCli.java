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
import java.util.Optional;
import java.util.function.Supplier;
import io.hyperinfer.client.cli.CredentialStore.Account;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The {@code hyperinfer} command line: register, login, logout, accounts list|use|forget, keys create|list|revoke,
 * infer, chat, usage, models, serve-openai. The launcher supplies how to reach the network (a started
 * {@link ClientWorker}) and adds these commands under its own {@code cli} ({@link #addCommandsTo}); the accounts
 * (session, API key) are kept in a credentials file between commands. Errors print in plain words; exit status 1.
 * Confined to the thread that runs the command.
 */
public final class HyperinferCli {
  private static final java.util.Set<String> KEY_GONE = java.util.Set.of("ERR_INVALID_KEY", "ERR_KEY_REVOKED",
      "ERR_KEY_EXPIRED");
  private final Supplier<ClientWorker> connect;
  private final Supplier<Path> credentialsFile;
  private final BufferedReader in;
  private final CountDownLatch serveUntil;
  private final Passwords passwords;
  private Supplier<ChatInput> chatInput;
  private String prefix = "hyperinfer";
  private CredentialStore credentials;
  private ClientWorker client;

  /** A command line whose password prompt is the terminal ({@link PasswordPrompt#terminal()}). */
  public HyperinferCli(Supplier<ClientWorker> connect, Path credentialsFile, BufferedReader in, PrintWriter out,
      PrintWriter err, CountDownLatch serveUntil) {
    this(connect, credentialsFile, in, out, err, serveUntil, PasswordPrompt.terminal());
  }

  /**
   * @param connect starts a client on the network (called once per command)
   * @param credentialsFile where the accounts are kept
   * @param in standard input: chat lines, a password with {@code --password-stdin}
   * @param serveUntil serve-openai runs until this latch opens (the launcher opens it on Ctrl-C)
   * @param prompt asks for a password no flag gave
   */
  public HyperinferCli(Supplier<ClientWorker> connect, Path credentialsFile, BufferedReader in, PrintWriter out,
      PrintWriter err, CountDownLatch serveUntil, PasswordPrompt prompt) {
    this(connect, () -> credentialsFile, in, serveUntil, prompt);
    this.standaloneOut = out;
    this.standaloneErr = err;
  }

  /**
   * For a launcher that adds the commands to its own tree ({@link #addCommandsTo}): the credentials file is asked for
   * when a command first needs it (after the launcher's own options are parsed); output goes to the command line's
   * own writers.
   */
  public HyperinferCli(Supplier<ClientWorker> connect, Supplier<Path> credentialsFile, BufferedReader in,
      CountDownLatch serveUntil, PasswordPrompt prompt) {
    this.connect = connect;
    this.credentialsFile = credentialsFile;
    this.in = in;
    this.serveUntil = serveUntil;
    this.passwords = new Passwords(in, prompt);
  }

  private PrintWriter standaloneOut;
  private PrintWriter standaloneErr;

  /** How {@code chat} reads lines (default: standard input, no editing). */
  public HyperinferCli chatInput(Supplier<ChatInput> input) {
    this.chatInput = input;
    return this;
  }

  /** How users call these commands, for the hints in messages ({@code "hyperinfer cli"} under the launcher). */
  public HyperinferCli prefix(String commandPrefix) {
    this.prefix = commandPrefix;
    return this;
  }

  /** Runs one command on its own tree; returns the exit status. */
  public int run(String... args) {
    CommandLine root = new CommandLine(new Root());
    addCommandsTo(root);
    root.addSubcommand("serve-openai", new ServeOpenAi());
    root.setOut(standaloneOut);
    root.setErr(standaloneErr);
    root.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("error: " + sentence(e).orElse(String.valueOf(e.getMessage())));
      cmd.getErr().flush();
      return 1;
    });
    try {
      return root.execute(args);
    } finally {
      standaloneOut.flush();
      standaloneErr.flush();
    }
  }

  /** Adds the account, key and inference commands under {@code parent} (serve-openai is the launcher's own). */
  public void addCommandsTo(CommandLine parent) {
    parent.addSubcommand("register", new Register());
    parent.addSubcommand("login", new Login());
    parent.addSubcommand("logout", new Logout());
    CommandLine accounts = new CommandLine(new Accounts());
    accounts.addSubcommand("list", new AccountsList());
    accounts.addSubcommand("use", new AccountsUse());
    accounts.addSubcommand("forget", new AccountsForget());
    parent.addSubcommand("accounts", accounts);
    CommandLine keys = new CommandLine(new Keys());
    keys.addSubcommand("create", new KeysCreate());
    keys.addSubcommand("list", new KeysList());
    keys.addSubcommand("revoke", new KeysRevoke());
    parent.addSubcommand("keys", keys);
    parent.addSubcommand("infer", new Infer());
    parent.addSubcommand("chat", new Chat());
    parent.addSubcommand("usage", new Usage());
    parent.addSubcommand("models", new Models());
  }

  /** The plain sentence for a failure of these commands, when it is one a user can act on. */
  public static Optional<String> sentence(Throwable e) {
    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof ClientException ce) {
      return Optional.of(ce.plainMessage());
    }
    boolean plain = cause instanceof IllegalArgumentException || cause instanceof IllegalStateException
        || cause instanceof java.io.UncheckedIOException;
    return plain ? Optional.ofNullable(cause.getMessage()) : Optional.empty();
  }

  private CredentialStore store() {
    if (credentials == null) {
      credentials = new CredentialStore(credentialsFile.get());
    }
    return credentials;
  }

  private Account account() {
    return store().current().orElseThrow(() -> new IllegalStateException("no account is in use: log in with '"
        + prefix + " login --email EMAIL'" + (store().emails().isEmpty() ? "" : " or pick a saved one with '"
        + prefix + " accounts use EMAIL'")));
  }

  private ClientWorker client(PrintWriter err) {
    if (client == null) {
      client = connect.get();
      store().current().ifPresent(a -> {
        client.useSession(a.session());
        client.useApiKey(a.apiKey());
      });
      err.flush();
    }
    return client;
  }

  /**
   * Runs {@code call} with the saved credentials; when the saved API key was revoked (or expired), forgets it and, if a
   * session is saved, runs the call once more with the session.
   */
  private <T> T withSavedKey(PrintWriter err, Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
      Optional<Account> saved = store().current();
      if (!(cause instanceof ClientException ce) || !KEY_GONE.contains(ce.code()) || saved.isEmpty()
          || saved.get().apiKey() == null) {
        throw e;
      }
      Account a = saved.get();
      store().put(a.withoutKey());
      client.useApiKey(null);
      if (a.session() == null) {
        throw new IllegalStateException("the API key saved for " + a.email() + " is not valid any more (revoked or "
            + "expired) and is now forgotten: log in with '" + prefix + " login --email " + a.email() + "', then '"
            + prefix + " keys create'");
      }
      err.println("note: the API key saved for " + a.email() + " is not valid any more (revoked or expired); it is "
          + "forgotten and your session is used instead ('" + prefix + " keys create' makes a new key)");
      err.flush();
      return call.get();
    }
  }

  private static void printAnswerFooter(PrintWriter err, Answer a) {
    JsonNode t = a.timings();
    err.printf("(%d prompt + %d answer tokens, first token %.1f ms, total %.1f ms, processor %s, attempts %d)%n",
        a.promptTokens(), a.completionTokens(), t.path("engineTtftMs").asDouble(), t.path("totalMs").asDouble(),
        a.processor(), a.attempts());
    err.flush();
  }

  private Answer streamTo(PrintWriter out, PrintWriter err, Prompt prompt) {
    return withSavedKey(err, () -> {
      InferCall call = client(err).stream(prompt, text -> {
        out.print(text);
        out.flush();
      });
      Answer a = call.done().join();
      out.println();
      out.flush();
      printAnswerFooter(err, a);
      return a;
    });
  }

  /** What every command here shares: its own output writers. */
  abstract static class Base {
    @Spec
    CommandSpec spec;

    PrintWriter out() {
      return spec.commandLine().getOut();
    }

    PrintWriter err() {
      return spec.commandLine().getErr();
    }
  }

  @Command(name = "hyperinfer", mixinStandardHelpOptions = true, version = "hyperinfer 0.1.0",
      description = "Use the Hyperinfer peer-to-peer inference network.")
  final class Root extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      spec.commandLine().usage(err());
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
      + "--password-stdin gives it. Then log in with 'login'.")
  final class Register extends Base implements Callable<Integer> {
    @Option(names = "--email", required = true) String email;
    @picocli.CommandLine.Mixin PasswordOptions password = new PasswordOptions();

    @Override
    public Integer call() {
      String secret = passwords.read(password.value, password.stdin, true);
      JsonNode user = client(err()).register(email, secret);
      out().println("registered " + user.path("email").asText() + " (user " + user.path("userId").asText()
          + "); next: '" + prefix + " login --email " + email + "'");
      return 0;
    }
  }

  @Command(name = "login", description = {"Log in; the session is saved (see 'accounts') for later commands and "
      + "becomes the account in use. Asks for the password unless --password-stdin gives it.",
      "Then 'keys create' makes an API key (for serve-openai and other programs)."})
  final class Login extends Base implements Callable<Integer> {
    @Option(names = "--email", required = true) String email;
    @picocli.CommandLine.Mixin PasswordOptions password = new PasswordOptions();

    @Override
    public Integer call() {
      String secret = passwords.read(password.value, password.stdin, false);
      ClientWorker c = client(err());
      c.useApiKey(null);
      JsonNode s = c.login(email, secret);
      Optional<Account> before = store().find(email);
      store().put(new Account(email, c.session(), before.map(Account::apiKey).orElse(null),
          before.map(Account::keyId).orElse(null)));
      out().println("logged in as " + s.path("email").asText() + " until " + s.path("expiresAt").asText()
          + " (credentials saved in " + store().file() + ")");
      return 0;
    }
  }

  @Command(name = "logout", description = "End the session of the account in use and forget its saved session and "
      + "API key on this machine (the key itself stays valid until 'keys revoke').")
  final class Logout extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      Account a = account();
      if (a.session() != null) {
        try {
          client(err()).logout();
        } catch (RuntimeException e) {
          err().println("note: the network did not end the session (" + sentence(e).orElse(String.valueOf(e))
              + "); it is forgotten here all the same");
        }
      }
      store().forget(a.email());
      out().println("logged out " + a.email() + "; its saved credentials are forgotten");
      return 0;
    }
  }

  @Command(name = "accounts", description = "The accounts saved on this machine: list, use, forget.")
  final class Accounts extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      return new AccountsList().list(out(), err());
    }
  }

  @Command(name = "list", description = "List the saved accounts; '*' marks the one in use.")
  final class AccountsList extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      return list(out(), err());
    }

    int list(PrintWriter out, PrintWriter err) {
      List<String> emails = store().emails();
      if (emails.isEmpty()) {
        err.println("no saved accounts: log in with '" + prefix + " login --email EMAIL'");
      }
      String current = store().current().map(Account::email).orElse(null);
      for (String e : emails) {
        out.println((e.equals(current) ? "* " : "  ") + e);
      }
      return 0;
    }
  }

  /** A command on one saved account: applies itself, says what it did, or fails saying how to get the account. */
  abstract class SavedAccountCommand extends Base implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "EMAIL") String email;

    /** Applies the command to the saved account; false when there is none. */
    abstract boolean apply();

    abstract String done();

    abstract String missing();

    @Override
    public Integer call() {
      if (!apply()) {
        throw new IllegalArgumentException("no saved account " + email + missing());
      }
      out().println(done());
      return 0;
    }
  }

  @Command(name = "use", description = "Switch to another saved account (no password needed while its session "
      + "lasts).")
  final class AccountsUse extends SavedAccountCommand {
    @Override
    boolean apply() {
      return store().use(email);
    }

    @Override
    String done() {
      return "now using " + email;
    }

    @Override
    String missing() {
      return ": log in with '" + prefix + " login --email " + email + "'";
    }
  }

  @Command(name = "forget", description = "Delete an account's saved session and API key from this machine "
      + "(nothing changes on the network).")
  final class AccountsForget extends SavedAccountCommand {
    @Override
    boolean apply() {
      return store().forget(email);
    }

    @Override
    String done() {
      return "forgot " + email;
    }

    @Override
    String missing() {
      return " ('" + prefix + " accounts' lists them)";
    }
  }

  @Command(name = "keys", description = "Manage API keys: create, list, revoke.")
  final class Keys extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      spec.commandLine().usage(err());
      return 2;
    }
  }

  @Command(name = "create", description = {"Create an API key (shown once) and use it for later commands.",
      "Give it as the Bearer token to 'hyperinfer serve-openai' (OpenAI SDKs: api_key)."})
  final class KeysCreate extends Base implements Callable<Integer> {
    @Option(names = "--name", defaultValue = "cli") String name;

    @Override
    public Integer call() {
      Account a = account();
      ClientWorker c = client(err());
      c.useApiKey(null);
      JsonNode k = c.createApiKey(name);
      String keyId = k.path("key").path("keyId").asText();
      store().put(a.withKey(k.path("apiKey").asText(), keyId));
      out().println("API key (shown once, keep it secret): " + k.path("apiKey").asText());
      out().println("key id: " + keyId);
      return 0;
    }
  }

  @Command(name = "list", description = "List your API keys.")
  final class KeysList extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      String inUse = store().current().map(Account::keyId).orElse("");
      for (JsonNode k : client(err()).listApiKeys().path("keys")) {
        out().printf("%s  %-16s %s%s%n", k.path("keyId").asText(), k.path("name").asText(),
            k.path("revoked").asBoolean() ? "revoked" : "active", inUse.equals(k.path("keyId").asText())
                ? "  (used by this machine)" : "");
      }
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke an API key by id; when it is the key saved here, it is forgotten "
      + "and later commands use your session.")
  final class KeysRevoke extends Base implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "KEY_ID") String keyId;

    @Override
    public Integer call() {
      client(err()).revokeApiKey(keyId);
      out().println("revoked " + keyId + " (gateways stop accepting it within their validation TTL, 5 s by default)");
      Optional<Account> a = store().current();
      if (a.isPresent() && keyId.equals(a.get().keyId())) {
        store().put(a.get().withoutKey());
        out().println("it was the key saved for " + a.get().email() + ": forgotten; later commands use your session");
      }
      return 0;
    }
  }

  @Command(name = "infer", description = "Ask once; the answer streams as it is generated.")
  final class Infer extends Base implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "builtin-echo") String model;
    @Option(names = "--max-tokens", defaultValue = "256") int maxTokens;
    @Parameters(arity = "1..*", paramLabel = "PROMPT") List<String> words;

    @Override
    public Integer call() {
      streamTo(out(), err(), Prompt.of(model, String.join(" ", words)).withMaxTokens(maxTokens));
      return 0;
    }
  }

  @Command(name = "chat", description = "Talk interactively (line editing and history on a terminal); /exit, an "
      + "empty line or Ctrl-D ends.")
  final class Chat extends Base implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "builtin-echo") String model;

    @Override
    public Integer call() {
      List<Message> history = new ArrayList<>();
      client(err());
      out().println("Chatting with " + model + ". Type /exit (or an empty line, or Ctrl-D) to leave; Up and Down "
          + "recall earlier lines.");
      out().flush();
      try (ChatInput input = chatInput != null ? chatInput.get() : ChatInput.plain(in, out())) {
        while (true) {
          String line = input.readLine("> ");
          if (line == null || line.isBlank() || line.trim().equals("/exit")) {
            out().println("bye");
            return 0;
          }
          history.add(Message.user(line));
          Answer a = streamTo(out(), err(), new Prompt(model, history, 256, 0.7));
          history.add(Message.assistant(a.text()));
        }
      }
    }
  }

  @Command(name = "usage", description = "Your requests and tokens per day.")
  final class Usage extends Base implements Callable<Integer> {
    @Option(names = "--days", defaultValue = "7") int days;

    @Override
    public Integer call() {
      JsonNode u = withSavedKey(err(), () -> client(err()).usage(days));
      for (JsonNode d : u.path("days")) {
        out().printf("%s  %4d requests (%d failed)  %6d tokens%n", d.path("day").asText(),
            d.path("requests").asLong(), d.path("failed").asLong(), d.path("totalTokens").asLong());
      }
      JsonNode t = u.path("total");
      out().printf("total %d requests, %d failed, %d prompt + %d answer tokens (from %d gateways)%n",
          t.path("requests").asLong(), t.path("failed").asLong(), t.path("promptTokens").asLong(),
          t.path("completionTokens").asLong(), u.path("gateways").asInt());
      return 0;
    }
  }

  @Command(name = "models", description = "Models served now.")
  final class Models extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      for (JsonNode m : client(err()).models().path("models")) {
        out().println(m.path("id").asText() + "  (" + m.path("processors").asInt() + " processors)");
      }
      return 0;
    }
  }

  @Command(name = "serve-openai", description = "Serve an OpenAI-compatible API on this machine.")
  final class ServeOpenAi extends Base implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1") String host;
    @Option(names = "--port", defaultValue = "8080") int port;

    @Override
    public Integer call() throws Exception {
      try (OpenAiServer server = new OpenAiServer(client(err()), host, port)) {
        out().println("OpenAI-compatible API on http://" + host + ":" + server.port()
            + "/v1 (use your Hyperinfer API key as the Bearer token)");
        out().flush();
        serveUntil.await();
      }
      return 0;
    }
  }
}
