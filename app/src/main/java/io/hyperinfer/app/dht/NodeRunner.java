package io.hyperinfer.app.dht;

import io.hyperinfer.app.LauncherException;
import io.hyperinfer.app.launch.StopOnSignal;
import io.hyperinfer.dht.DhtException;
import io.hyperinfer.dht.NodeListener;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.HyperDht;
import java.io.PrintWriter;
import java.util.HexFormat;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Runs one HyperDHT node for a dht command: checks the arguments, binds, waits until bootstrapped, prints
 * {@code listening on HOST:PORT} as the first line on stdout, then serves until SIGTERM or Ctrl-C and closes the
 * node (sockets included) before returning 0 (also when the parent named by {@code --parent-pid} exits). Errors are
 * one line on stderr and a non-zero exit.
 */
final class NodeRunner {
  /** Exit code of a node that could not start. */
  static final int FAILED = 1;
  private static final long READY_SECONDS = 60;

  /**
   * What to start: the address asked for (for error messages) and how.
   *
   * @param host the requested host
   * @param port the requested port (0: any)
   * @param node starts the node; may throw {@link DhtException} BIND_FAILED
   */
  record Start(String host, int port, Supplier<HyperDht> node) {}

  private NodeRunner() {}

  static int run(CommandSpec spec, Long parentPid, Supplier<Start> parse) {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Start start;
    try {
      start = parse.get();
    } catch (LauncherException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return e.code().exitStatus();
    }
    HyperDht dht;
    try {
      dht = start.node().get();
    } catch (DhtException e) {
      err.println("error: cannot bind " + start.host() + ":" + start.port()
          + (start.port() == 0 ? "" : " (port " + start.port() + " in use?)") + ": " + e.getMessage());
      err.flush();
      return FAILED;
    }
    try (StopOnSignal signal = new StopOnSignal().stopWithParent(parentPid)) {
      try (dht) {
        dht.ready().get(READY_SECONDS, TimeUnit.SECONDS);
        HostPort bound = dht.localAddress();
        out.println("listening on " + bound.host() + ":" + bound.port());
        out.flush();
        announceId(dht, out);
        signal.await();
      } catch (ExecutionException | TimeoutException e) {
        err.println("error: the node did not bootstrap within " + READY_SECONDS + " s: " + e.getMessage());
        err.flush();
        return FAILED;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.println("stopped");
      out.flush();
      signal.stopped();
      return 0;
    }
  }

  /** Prints the node's id now if it has one, else once it becomes persistent. */
  private static void announceId(HyperDht dht, PrintWriter out) {
    dht.node().addListener(new NodeListener() {
      @Override
      public void onPersistent() {
        print(dht, out);
      }
    });
    if (dht.node().id() != null) {
      print(dht, out);
    }
  }

  private static void print(HyperDht dht, PrintWriter out) {
    byte[] id = dht.node().id();
    if (id != null) {
      synchronized (out) {
        out.println("persistent id " + HexFormat.of().formatHex(id));
        out.flush();
      }
    }
  }
}
