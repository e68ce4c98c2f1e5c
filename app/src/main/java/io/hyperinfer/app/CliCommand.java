package io.hyperinfer.app;

import io.hyperinfer.client.cli.HyperinferCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer cli [--store-dir DIR] COMMAND...}: one client command (register, login, keys, infer, chat, usage,
 * models, serve-openai) against a local network started in this process. With {@code --store-dir} accounts, keys and
 * the saved credentials outlive the command; without it every run starts empty.
 */
@Command(name = "cli", description = "Run one client command against a local network in this process.")
final class CliCommand implements Callable<Integer> {
  @Spec
  picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--store-dir", description = "Where workers keep their stores and the client its credentials "
      + "(default: a temporary directory, deleted at the end).")
  Path storeDir;

  @Mixin
  EngineOptions engines = new EngineOptions();

  @Option(names = "--fast-hashing", description = "Use the cheapest Argon2id cost instead of the interactive one.")
  boolean fastHashing;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The client command and its arguments.")
  List<String> command = new ArrayList<>();

  /** Standard input for {@code chat}; tests replace it. */
  BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

  @Override
  public Integer call() throws Exception {
    Logs.setRootLevel("ERROR");
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = Thread.ofPlatform().unstarted(stop::countDown);
    Runtime.getRuntime().addShutdownHook(hook);
    try (LocalNetwork local = LocalNetwork.start(storeDir, fastHashing, engines)) {
      HyperinferCli cli = new HyperinferCli(local::client, local.root().resolve("credentials.json"), in, out, err,
          stop);
      int status = cli.run(command.toArray(String[]::new));
      out.flush();
      err.flush();
      return status;
    } finally {
      ServeOpenAiCommand.removeHook(hook);
    }
  }
}
