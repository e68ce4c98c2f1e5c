package io.hyperinfer.app.worker;

import io.hyperinfer.gateway.GatewayWorker;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import picocli.CommandLine.Command;

/** {@code hyperinfer gateway}: a Gateway worker (the clients' entry: auth, limits, routing, usage) in this process. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
    description = {"Run a Gateway worker (the clients' entry: authentication, rate limits, routing to processors, "
        + "usage) in this process, on the network.",
        "Auth and the processors must allow its key (--print-key prints it); prints 'gateway/ID ready: public key "
            + "KEY, ...' once ready; stops cleanly on SIGTERM or Ctrl-C."})
public final class GatewayCommand extends WorkerCommand {
  @Override
  String type() {
    return "gateway";
  }

  @Override
  Worker create(WorkerContext context, Config config, Facilities facilities) {
    return new GatewayWorker(context, config, facilities);
  }
}
