package io.hyperinfer.client.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.worker.Json;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CLI's saved accounts (session token, API key and its id per email) and which one is in use, in a JSON file
 * readable only by its owner (created 0600 in a 0700 folder, written atomically; a file found open to others is
 * tightened first, see {@link PrivateFiles}), so {@code login} once serves later commands. A file of the first format
 * ({@code {session, apiKey}}) reads as one account named {@value #LEGACY}. Not thread-safe (one command at a time).
 */
final class CredentialStore {
  /** The account name given to credentials saved before accounts had names. */
  static final String LEGACY = "(saved)";

  /** One account's saved credentials; any part may be null. */
  record Account(String email, String session, String apiKey, String keyId) {
    Account withKey(String key, String id) {
      return new Account(email, session, key, id);
    }

    Account withoutKey() {
      return new Account(email, session, null, null);
    }
  }

  private final Path file;

  CredentialStore(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** The account in use, if any. */
  Optional<Account> current() {
    ObjectNode root = load();
    String email = root.path("current").asText(null);
    return email == null ? Optional.empty() : find(root, email);
  }

  /** The saved accounts' emails, in the order they were first saved. */
  List<String> emails() {
    List<String> out = new ArrayList<>();
    load().path("accounts").fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Saves {@code account} (replacing the one of the same email) and makes it the one in use. */
  void put(Account account) {
    ObjectNode root = load();
    ObjectNode a = accounts(root).putObject(account.email());
    putIfSet(a, "session", account.session());
    putIfSet(a, "apiKey", account.apiKey());
    putIfSet(a, "keyId", account.keyId());
    root.put("current", account.email());
    write(root);
  }

  /** Makes {@code email} the account in use; false when no such account is saved. */
  boolean use(String email) {
    ObjectNode root = load();
    if (!root.path("accounts").has(email)) {
      return false;
    }
    root.put("current", email);
    write(root);
    return true;
  }

  /** Deletes {@code email}'s saved credentials (no account is in use after forgetting the current one). */
  boolean forget(String email) {
    ObjectNode root = load();
    if (!(root.path("accounts") instanceof ObjectNode accounts) || accounts.remove(email) == null) {
      return false;
    }
    if (email.equals(root.path("current").asText(null))) {
      root.remove("current");
    }
    write(root);
    return true;
  }

  /** The saved account of {@code email}, if any. */
  Optional<Account> find(String email) {
    return find(load(), email);
  }

  private Optional<Account> find(ObjectNode root, String email) {
    JsonNode a = root.path("accounts").path(email);
    if (!a.isObject()) {
      return Optional.empty();
    }
    return Optional.of(new Account(email, a.path("session").asText(null), a.path("apiKey").asText(null),
        a.path("keyId").asText(null)));
  }

  private ObjectNode load() {
    if (!Files.isRegularFile(file)) {
      return Json.object();
    }
    try {
      JsonNode n = Json.parse(PrivateFiles.read(file));
      if (!(n instanceof ObjectNode o)) {
        return Json.object();
      }
      return o.has("accounts") ? o : upgrade(o);
    } catch (IOException | IllegalArgumentException e) {
      return Json.object();
    }
  }

  private static ObjectNode upgrade(ObjectNode first) {
    ObjectNode root = Json.object();
    if (first.hasNonNull("session") || first.hasNonNull("apiKey")) {
      ObjectNode a = accounts(root).putObject(LEGACY);
      putIfSet(a, "session", first.path("session").asText(null));
      putIfSet(a, "apiKey", first.path("apiKey").asText(null));
      root.put("current", LEGACY);
    }
    return root;
  }

  private static ObjectNode accounts(ObjectNode root) {
    return root.get("accounts") instanceof ObjectNode a ? a : root.putObject("accounts");
  }

  private static void putIfSet(ObjectNode o, String field, String value) {
    if (value != null) {
      o.put(field, value);
    }
  }

  private void write(ObjectNode root) {
    try {
      PrivateFiles.write(file, Json.toBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save credentials to " + file, e);
    }
  }
}
