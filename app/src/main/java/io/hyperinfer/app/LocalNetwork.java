package io.hyperinfer.app;

import io.hyperinfer.app.demo.DemoContext;
import io.hyperinfer.app.demo.InferenceDemoSteps;
import io.hyperinfer.client.ClientWorker;
import io.hyperinfer.worker.net.memory.MemoryNetwork;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A whole network in this process for the launcher's client commands: the demo's network step (Auth, a Gateway, two
 * Processors, a Client) with no pacing and nobody registered, the processors' engines as the {@link EngineOptions} say
 * (by default the builtin engine and the embedded all-MiniLM-L6-v2). Stores live under the given directory, or a
 * temporary one deleted on close.
 */
final class LocalNetwork implements AutoCloseable {

  private final Path root;
  private final boolean temporary;
  private final DemoContext ctx;

  private LocalNetwork(Path root, boolean temporary, DemoContext ctx) {
    this.root = root;
    this.temporary = temporary;
    this.ctx = ctx;
  }

  /**
   * @param storeDir where workers keep their stores, or null for a temporary directory
   * @param fastHashing whether Auth uses the cheapest Argon2id cost
   * @param engines the processors' engines (the builtin one runs at full speed: the launcher serves real callers)
   */
  static LocalNetwork start(Path storeDir, boolean fastHashing, EngineOptions engines) throws Exception {
    boolean temporary = storeDir == null;
    Path root = temporary ? Files.createTempDirectory("hyperinfer-local-") : Files.createDirectories(storeDir);
    LocalNetwork local = new LocalNetwork(root, temporary, new DemoContext(new MemoryNetwork(), root, fastHashing));
    try {
      InferenceDemoSteps.startNetwork(engines.engineJson().toString(), engines.embeddingJson().toString())
          .run(local.ctx);
    } catch (Exception | Error e) {
      local.close();
      throw e;
    }
    return local;
  }

  /** The started client, on the gateway topic of this network. */
  ClientWorker client() {
    return ctx.get(InferenceDemoSteps.CLIENT, ClientWorker.class);
  }

  Path root() {
    return root;
  }

  @Override
  public void close() {
    ctx.close();
    if (temporary) {
      try {
        DemoCommand.deleteTree(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
