package io.hyperinfer.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CLI's saved session token and API key, in a JSON file readable only by its owner (created 0600 in a 0700 folder,
 * written atomically; a file found open to others is tightened first, see {@link PrivateFiles}), so {@code login} once
 * serves later commands. Not thread-safe (one command at a time).
 */
final class CredentialStore {
  private final Path file;

  CredentialStore(Path file) {
    this.file = file;
  }

  ObjectNode load() {
    if (!Files.isRegularFile(file)) {
      return Json.object();
    }
    try {
      JsonNode n = Json.parse(PrivateFiles.read(file));
      return n instanceof ObjectNode o ? o : Json.object();
    } catch (IOException | IllegalArgumentException e) {
      return Json.object();
    }
  }

  void save(String session, String apiKey) {
    ObjectNode o = Json.object();
    if (session != null) {
      o.put("session", session);
    }
    if (apiKey != null) {
      o.put("apiKey", apiKey);
    }
    try {
      PrivateFiles.write(file, Json.toBytes(o));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save credentials to " + file, e);
    }
  }
}
