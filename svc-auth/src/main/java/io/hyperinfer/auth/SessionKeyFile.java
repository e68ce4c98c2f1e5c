package io.hyperinfer.auth;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.crypto.KeyPair;
import io.hyperinfer.worker.Config;
import io.hyperinfer.worker.ConfigException;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The network's session key for Auth: {@code auth.sessionKeyFile} names a private file holding its 32-byte seed in hex
 * (what {@code hyperinfer network create} writes as {@code session.key}). Every Auth of the network signs sessions
 * with it, so sessions outlive any one Auth worker. The file must be private (0600; see {@link PrivateFiles}).
 */
final class SessionKeyFile {
  static final String KEY = "auth.sessionKeyFile";

  private SessionKeyFile() {}

  static Optional<KeyPair> load(Config config) {
    if (!config.has(KEY)) {
      return Optional.empty();
    }
    Path file = Path.of(config.string(KEY));
    String text;
    try {
      text = new String(PrivateFiles.read(file), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      throw ConfigException.invalid(KEY, "cannot read " + file + ": " + e);
    }
    if (!text.matches("[0-9a-fA-F]{64}")) {
      throw ConfigException.invalid(KEY, file + " does not hold a 64-hex-character seed");
    }
    return Optional.of(Ed25519.fromSeed(HexFormat.of().parseHex(text)));
  }
}
