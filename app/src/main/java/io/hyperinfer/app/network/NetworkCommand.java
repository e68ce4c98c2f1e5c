package io.hyperinfer.app.network;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.hyperdht.PutResult;
import io.hyperinfer.network.NetworkException;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.Role;
import io.hyperinfer.network.Roster;
import io.hyperinfer.network.SignedRoster;
import io.hyperinfer.worker.WorkerException;
import io.hyperinfer.worker.fs.DataDirs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code hyperinfer network create|admit|revoke|show|publish}: the operator's tool. It keeps the network key, the
 * session key and the signed roster in one private folder, edits and signs the roster, and publishes it to the DHT
 * reached through {@code --bootstrap}. Errors are one line on stderr: exit 2 for bad arguments, 1 for failures.
 */
@Command(name = "network", mixinStandardHelpOptions = true,
    description = "Create a network and manage its signed roster (who may serve as auth, gateway, processor; admins).",
    subcommands = {NetworkCommand.Create.class, NetworkCommand.Admit.class, NetworkCommand.Revoke.class,
        NetworkCommand.Show.class, NetworkCommand.Publish.class})
public final class NetworkCommand implements Runnable {
  static final int BAD_ARGUMENT = 2;
  static final int FAILED = 1;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Options every subcommand takes. */
  static final class Where {
    @Option(names = "--dir", paramLabel = "DIR",
        description = "The operator's folder (default: the user's config folder, hyperinfer/network).")
    Path dir;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,HOST:PORT...]",
        description = "DHT nodes to publish to (or fetch from); without it the roster is only written to disk.")
    String bootstrap;

    OperatorFiles files() {
      return new OperatorFiles(dir != null ? dir : DataDirs.forUser().config().resolve("network"));
    }

    Optional<List<HostPort>> nodes() {
      return bootstrap == null ? Optional.empty() : Optional.of(Publisher.bootstrap(bootstrap));
    }
  }

  /** Runs a subcommand body, turning its typed failures into one line and an exit code. */
  abstract static class Step implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    Where where;

    abstract void run(PrintWriter out) throws IOException;

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        run(out);
        out.flush();
        return 0;
      } catch (NetworkException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return e.code() == NetworkException.Code.BAD_ARGUMENT ? BAD_ARGUMENT : FAILED;
      } catch (IOException | WorkerException e) {
        err.println("error: " + e.getMessage());
        err.flush();
        return FAILED;
      }
    }

    /** Signs {@code next}, writes it and publishes it when a bootstrap was given. */
    void save(PrintWriter out, NetworkKey network, Roster next) {
      SignedRoster signed = network.sign(next);
      OperatorFiles files = where.files();
      files.storeRoster(signed);
      out.println("roster seq " + next.seq() + " signed and written to " + files.roster());
      where.nodes().ifPresent(nodes -> published(out, Publisher.publish(nodes, network, signed)));
    }

    static void published(PrintWriter out, PutResult put) {
      out.println("published to the DHT (" + put.stored() + " of " + put.closestNodes().size()
          + " closest nodes stored it)");
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Make a new network: its key, a session key for the Auth workers, and an empty signed roster.")
  static final class Create extends Step {
    @Override
    void run(PrintWriter out) throws IOException {
      OperatorFiles files = where.files();
      if (files.exists()) {
        throw new NetworkException(NetworkException.Code.BAD_ARGUMENT, "a network already exists in " + files.dir()
            + "; use another --dir");
      }
      LocalOperator created = LocalOperator.openOrCreate(files.dir());
      out.println("network " + created.networkKey());
      out.println("key file " + files.networkKey() + " (keep it secret: it signs the roster)");
      out.println("session key file " + files.sessionKey() + " (give it to the Auth workers only)");
      out.println("roster seq " + created.roster().roster().seq() + " signed and written to " + files.roster());
      where.nodes().ifPresent(nodes -> published(out, created.publish(nodes)));
    }
  }

  @Command(name = "admit", mixinStandardHelpOptions = true, description = "Give a worker key (or admin client key) a role.")
  static final class Admit extends Step {
    @Option(names = "--role", required = true, paramLabel = "ROLE", description = "auth, gateway, processor or admin")
    String role;

    @Parameters(paramLabel = "KEY", description = "The member's public key (64 hex characters).")
    String key;

    @Override
    void run(PrintWriter out) {
      Role r = Role.parse(role);
      NetworkKey network = where.files().loadNetworkKey();
      Roster next = where.files().loadRoster(network).roster().admit(key, r);
      save(out, network, next);
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Take a role from a key; without --role, or when it was its last role, revoke the key.")
  static final class Revoke extends Step {
    @Option(names = "--role", paramLabel = "ROLE", description = "auth, gateway, processor or admin (default: all)")
    String role;

    @Parameters(paramLabel = "KEY", description = "The member's public key (64 hex characters).")
    String key;

    @Override
    void run(PrintWriter out) {
      Role r = role == null ? null : Role.parse(role);
      NetworkKey network = where.files().loadNetworkKey();
      save(out, network, where.files().loadRoster(network).roster().revoke(key, r));
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true,
      description = "Print the roster on disk, and with --bootstrap the one published on the DHT.")
  static final class Show extends Step {
    @Override
    void run(PrintWriter out) {
      NetworkKey network = where.files().loadNetworkKey();
      print(out, "on disk", where.files().loadRoster(network).roster());
      where.nodes().ifPresent(nodes -> Publisher.fetch(nodes, network).filter(r -> r.verify(network.hex()))
          .ifPresentOrElse(r -> print(out, "on the DHT", r.roster()), () -> out.println("on the DHT: none")));
    }

    private static void print(PrintWriter out, String where, Roster r) {
      out.println(where + ": network " + r.network() + " seq " + r.seq());
      out.println("  session key " + r.session().orElse("none"));
      for (Map.Entry<String, Set<Role>> m : r.members().entrySet()) {
        out.println("  member " + m.getKey() + " "
            + m.getValue().stream().map(Role::label).collect(Collectors.joining(",")));
      }
      r.revoked().forEach(k -> out.println("  revoked " + k));
    }
  }

  @Command(name = "publish", mixinStandardHelpOptions = true,
      description = "Publish the roster on disk again (after the DHT lost it, or to a new bootstrap).")
  static final class Publish extends Step {
    @Override
    void run(PrintWriter out) {
      NetworkKey network = where.files().loadNetworkKey();
      List<HostPort> nodes = where.nodes().orElseThrow(() -> new NetworkException(
          NetworkException.Code.BAD_ARGUMENT, "--bootstrap is required to publish"));
      SignedRoster roster = where.files().loadRoster(network);
      PutResult put = Publisher.publish(nodes, network, roster);
      out.println("published roster seq " + roster.roster().seq() + " (" + put.stored() + " nodes stored it)");
    }
  }
}
