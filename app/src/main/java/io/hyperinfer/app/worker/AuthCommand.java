package io.hyperinfer.app.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.auth.AuthWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code hyperinfer auth}: the Auth worker (accounts, sessions, API keys) in this process. */
@Command(name = "auth", mixinStandardHelpOptions = true,
    description = {"Run the Auth worker (accounts, sessions, API keys) in this process, on the network.",
        "Prints 'auth/ID ready: public key KEY, ..., store DIR' once ready (KEY also verifies its session tokens); "
            + "stops cleanly on SIGTERM or Ctrl-C."})
public final class AuthCommand extends WorkerCommand {
  @Option(names = "--allow-gateway", paramLabel = "KEY", description = "A gateway's public key (hex) allowed to "
      + "validate sessions and API keys; adds to auth.gateways. Repeatable.")
  List<String> gateways = new ArrayList<>();

  @Override
  String type() {
    return AuthWorker.TYPE;
  }

  @Override
  Worker create(WorkerContext context, Config config, Facilities facilities) {
    return new AuthWorker(context, config, facilities);
  }

  @Override
  void applyFlags(ObjectNode tree) {
    GatewayKeys.add(tree, "auth", "gateways", gateways);
  }
}
