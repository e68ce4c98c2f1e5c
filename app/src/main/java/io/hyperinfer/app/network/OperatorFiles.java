package io.hyperinfer.app.network;

import io.hyperinfer.crypto.Ed25519;
import io.hyperinfer.network.NetworkException;
import io.hyperinfer.network.NetworkKey;
import io.hyperinfer.network.RosterCache;
import io.hyperinfer.network.SignedRoster;
import io.hyperinfer.worker.fs.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The operator's folder: {@code network.key} (the network's seed, hex, 0600), {@code session.key} (the session key's
 * seed for the Auth workers, hex, 0600) and {@code roster.bin} (the latest signed roster, what workers load with
 * {@code network.roster}). Key files are written atomically in a 0700 folder and refused when others could read them
 * and their mode cannot be fixed. Thread-safe (stateless apart from the path).
 */
record OperatorFiles(Path dir) {
  Path networkKey() {
    return dir.resolve("network.key");
  }

  Path sessionKey() {
    return dir.resolve("session.key");
  }

  Path roster() {
    return dir.resolve("roster.bin");
  }

  boolean exists() {
    return Files.exists(networkKey());
  }

  void writeSeed(Path file, byte[] seed) throws IOException {
    PrivateFiles.write(file, (HexFormat.of().formatHex(seed) + "\n").getBytes(StandardCharsets.US_ASCII));
  }

  /** The operator's network key; BAD_ARGUMENT naming the file when it is missing or malformed. */
  NetworkKey loadNetworkKey() {
    return NetworkKey.fromSeed(readSeed(networkKey()));
  }

  /** The session key's public half (hex), derived from its seed file. */
  String sessionPublicKey() {
    return HexFormat.of().formatHex(Ed25519.fromSeed(readSeed(sessionKey())).publicKey());
  }

  SignedRoster loadRoster(NetworkKey network) {
    return new RosterCache(roster()).load(network).orElseThrow(() -> new NetworkException(
        NetworkException.Code.BAD_ARGUMENT, "no roster at " + roster() + "; run 'hyperinfer network create' first"));
  }

  void storeRoster(SignedRoster roster) {
    new RosterCache(roster()).store(roster);
  }

  private static byte[] readSeed(Path file) {
    String text;
    try {
      text = new String(PrivateFiles.read(file), StandardCharsets.US_ASCII).strip();
    } catch (NoSuchFileException e) {
      throw new NetworkException(NetworkException.Code.BAD_ARGUMENT, "no key file at " + file
          + "; run 'hyperinfer network create' first (or pass --dir)");
    } catch (IOException e) {
      throw new NetworkException(NetworkException.Code.IO, "cannot read " + file + ": " + e.getMessage(), e);
    }
    if (!text.matches("[0-9a-fA-F]{64}")) {
      throw new NetworkException(NetworkException.Code.BAD_ARGUMENT, file + " does not hold a 64-hex-character seed");
    }
    return HexFormat.of().parseHex(text);
  }
}
