package io.hyperinfer.app.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.EngineOptions;
import io.hyperinfer.processor.ProcessorWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hyperinfer processor}: a Processor worker (serves models from one engine) in this process. */
@Command(name = "processor", mixinStandardHelpOptions = true,
    description = {"Run a Processor worker in this process, on the network: it serves the models of its engine "
        + "(processor.engine in the config, or the engine flags below) to the gateways it allows.",
        "Prints 'processor/ID ready: public key KEY, ...' and then 'serving MODEL, ...' once ready; stops cleanly "
            + "on SIGTERM or Ctrl-C (running generations drain first)."})
public final class ProcessorCommand extends WorkerCommand {
  @Option(names = "--allow-gateway", paramLabel = "KEY", description = "A gateway's public key (hex) allowed to "
      + "send inference requests; adds to processor.allowedGateways. Repeatable.")
  List<String> gateways = new ArrayList<>();

  @Mixin
  EngineOptions engines = new EngineOptions();

  @Override
  String type() {
    return "processor";
  }

  @Override
  Worker create(WorkerContext context, Config config, Facilities facilities) {
    return new ProcessorWorker(context, config, facilities);
  }

  @Override
  void applyFlags(ObjectNode tree) {
    GatewayKeys.add(tree, "processor", "allowedGateways", gateways);
    if (engines.given()) {
      engines.applyTo(tree);
    }
  }

  @Override
  List<String> describe(Worker worker) {
    return List.of("serving " + String.join(", ", ((ProcessorWorker) worker).modelIds()));
  }
}
