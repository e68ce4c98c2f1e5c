package io.hyperinfer.app.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.app.LauncherException;
import io.hyperinfer.app.launch.ParentOption;
import io.hyperinfer.app.launch.ReadyLine;
import io.hyperinfer.app.launch.StopOnSignal;
import io.hyperinfer.app.net.Transport;
import io.hyperinfer.store.DiskStoreFacility;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.Facilities;
import io.hyperinfer.worker.Worker;
import io.hyperinfer.worker.WorkerContext;
import io.hyperinfer.worker.WorkerException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * One worker in this process, until SIGTERM or Ctrl-C: resolves its setup ({@link WorkerSetup}), starts it on the
 * real network with its store on disk, prints its {@link ReadyLine} first on standard output, then serves; a signal
 * drains it, withdraws its topics, closes its store and exits 0 after printing {@code stopped}. An expected failure
 * (bad config, a port in use, a locked or unwritable store, no bootstrap node reachable) is one {@code error:}
 * sentence on standard error and exit status 1 (2 for a bad flag). Subclasses name the type and build the worker.
 */
abstract class WorkerCommand implements Callable<Integer> {
  /** The longest a start may take (the net facility gives up bootstrapping after 30 s by default). */
  static final long START_SECONDS = 60;
  /** The longest a stop may take after a signal: the drain (5 s by default) and closing the node and store. */
  static final long STOP_SECONDS = 25;

  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "PATH", description = "A config folder in the worker framework's layout "
      + "(common.json, <env>.json, facs/<name>.config.json, facs/<env>.<name>.config.json) or one JSON file.")
  Path config;

  @Option(names = "--env", paramLabel = "ENV", description = "The environment whose <env>.json files apply "
      + "(default: $HYPERINFER_ENV, else production).")
  String env;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Keep data, config and state under DIR (default: "
      + "$HYPERINFER_HOME, else the XDG folders, e.g. ~/.local/share/hyperinfer).")
  Path dataDir;

  @Option(names = "--instance", paramLabel = "ID", defaultValue = "1", description = "Tells workers of one type on "
      + "one machine apart; the store is <data>/workers/<type>-<ID> (default ${DEFAULT-VALUE}).")
  String instance;

  @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,HOST:PORT...]", description = "DHT nodes to join through "
      + "(overrides facs.net.bootstrap; default: the network 'hyperinfer up' runs with this data directory).")
  String bootstrap;

  @Option(names = "--ops-port", paramLabel = "PORT", description = "Serve /metrics and /healthz on "
      + "127.0.0.1:PORT (0: any free port; overrides facs.ops.port).")
  String opsPort;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one config key, e.g. "
      + "gateway.statusInterval=1s (the value is JSON when it parses as JSON, else a string). Repeatable.")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--print-key", description = "Print this worker's public key (created with its store on first "
      + "use) and exit, e.g. to put a gateway's key in Auth's and the processors' config.")
  boolean printKey;


  @Mixin
  ParentOption parent = new ParentOption();

  /** The worker type: auth, gateway or processor. */
  abstract String type();

  /** Builds the worker. */
  abstract Worker create(WorkerContext context, Config config, Facilities facilities);

  /** Applies this command's own flags to the config tree (after the config and {@code --set}). */
  void applyFlags(ObjectNode tree) {}

  /** Lines printed after the ready line (a processor's models). */
  List<String> describe(Worker worker) {
    return List.of();
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try {
      WorkerSetup setup = WorkerSetup.resolve(type(), new WorkerSetup.Flags(config, env, dataDir, instance, bootstrap,
          opsPort, overrides, this::applyFlags), System.getenv(), Path.of(System.getProperty("user.home")));
      if (printKey) {
        out.println(WorkerKeys.keyPair(type(), instance, setup.storeDir()).publicKeyHex());
        return 0;
      }
      return serve(setup, out, err);
    } catch (LauncherException e) {
      return fail(err, e.getMessage(), e.code().exitStatus(), null);
    } catch (IOException | RuntimeException e) {
      return fail(err, WorkerException.expected(e).map(Throwable::getMessage).orElse(String.valueOf(e.getMessage())),
          1, WorkerException.expected(e).isPresent() ? null : e);
    } finally {
      out.flush();
      err.flush();
    }
  }

  private int serve(WorkerSetup setup, PrintWriter out, PrintWriter err) {
    Worker worker = create(setup.context(), setup.config(), Facilities.of(Transport.facility(),
        new DiskStoreFacility(setup.storeDir())));
    try (StopOnSignal signal = new StopOnSignal().stopWithParent(parent.pid())) {
      int status = serve(worker, setup, signal, out, err);
      signal.stopped(status);
      return status;
    }
  }

  private int serve(Worker worker, WorkerSetup setup, StopOnSignal signal, PrintWriter out, PrintWriter err) {
    try {
      try {
        worker.start().get(START_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        worker.stop();
        String why = WorkerException.expected(cause).map(Throwable::getMessage).orElseGet(() ->
            e instanceof TimeoutException ? "the " + type() + " worker did not start within " + START_SECONDS + " s"
                : cause.getMessage());
        return fail(err, why, 1, WorkerException.expected(cause).isPresent() ? null : cause);
      }
      out.println(new ReadyLine(type(), instance, worker.identity().publicKeyHex(), worker.opsPort(),
          setup.storeDir()).format());
      describe(worker).forEach(out::println);
      out.flush();
      signal.await();
      worker.stop().get(STOP_SECONDS, TimeUnit.SECONDS);
      out.println("stopped");
      out.flush();
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.stop();
      return 1;
    } catch (ExecutionException | TimeoutException e) {
      return fail(err, "the " + type() + " worker did not stop cleanly within " + STOP_SECONDS + " s", 1, e);
    }
  }

  private int fail(PrintWriter err, String sentence, int status, Throwable trace) {
    err.println("error: " + sentence);
    if (io.hyperinfer.app.Hyperinfer.verbose(spec) && trace != null) {
      trace.printStackTrace(err);
    }
    err.flush();
    return status;
  }
}
