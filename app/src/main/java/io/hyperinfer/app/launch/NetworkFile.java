package io.hyperinfer.app.launch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.fs.DataDirs;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the local network {@code hyperinfer up} runs can be joined: {@code <state>/network.json} in its data directory
 * ({@code {"bootstrap": ["127.0.0.1:PORT"], "pid": N, "startedAt": "...", "network": "HEX", "roster": "PATH"}}, 0600),
 * written once the network is up and deleted when {@code up} stops. {@code cli}, {@code serve-openai} and the worker
 * commands read it when no bootstrap node is given. Immutable.
 *
 * @param bootstrap the network's bootstrap nodes
 * @param pid the {@code up} process
 * @param startedAt when it started
 * @param network the network's public key (hex) whose topics the workers use, empty on open topics
 * @param roster the operator's signed roster, which a joining client copies to start from instead of waiting for
 *     the DHT; empty on open topics
 */
public record NetworkFile(List<HostPort> bootstrap, long pid, Instant startedAt, Optional<String> network,
    Optional<Path> roster) {
  /** The file's name in the state directory. */
  public static final String NAME = "network.json";

  public NetworkFile {
    bootstrap = List.copyOf(bootstrap);
    if (bootstrap.isEmpty()) {
      throw new IllegalArgumentException("a network needs a bootstrap node");
    }
  }

  /** A network on open topics. */
  public NetworkFile(List<HostPort> bootstrap, long pid, Instant startedAt) {
    this(bootstrap, pid, startedAt, Optional.empty(), Optional.empty());
  }

  public static Path path(DataDirs dirs) {
    return dirs.state().resolve(NAME);
  }

  /** The file in {@code dirs}, if there is a readable one. */
  public static Optional<NetworkFile> read(DataDirs dirs) {
    Path file = path(dirs);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode json = Json.parse(Files.readAllBytes(file));
      List<HostPort> nodes = new ArrayList<>();
      for (JsonNode n : json.path("bootstrap")) {
        nodes.add(Bootstrap.parse("bootstrap in " + file, n.asText()).getFirst());
      }
      return Optional.of(new NetworkFile(nodes, json.path("pid").asLong(-1),
          Instant.parse(json.path("startedAt").asText()), text(json, "network"),
          text(json, "roster").map(Path::of)));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  private static Optional<String> text(JsonNode json, String field) {
    return json.path(field).isTextual() ? Optional.of(json.path(field).asText()) : Optional.empty();
  }

  /** Writes this file (0600 in a 0700 folder, atomically). */
  public void write(DataDirs dirs) throws IOException {
    ObjectNode json = Json.object().put("pid", pid).put("startedAt", startedAt.toString());
    network.ifPresent(n -> json.put("network", n));
    roster.ifPresent(r -> json.put("roster", r.toString()));
    var nodes = json.putArray("bootstrap");
    bootstrap.forEach(b -> nodes.add(b.host() + ":" + b.port()));
    PrivateFiles.write(path(dirs), Json.toBytes(json));
  }

  /** Deletes the file in {@code dirs} if it is this one's (a newer {@code up} may have replaced it). */
  public void deleteFrom(DataDirs dirs) throws IOException {
    if (read(dirs).filter(this::equals).isPresent()) {
      Files.deleteIfExists(path(dirs));
    }
  }

  /** Whether the {@code up} process that wrote it still runs. */
  public boolean running() {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /** The first bootstrap node as {@code HOST:PORT}. */
  public String address() {
    return bootstrap.getFirst().host() + ":" + bootstrap.getFirst().port();
  }
}
