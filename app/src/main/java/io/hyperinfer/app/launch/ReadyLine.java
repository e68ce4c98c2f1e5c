package io.hyperinfer.app.launch;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first line a worker process prints on standard output once it is ready, and its parsed form:
 * {@code TYPE/INSTANCE ready: public key HEX[, ops http://127.0.0.1:PORT], store DIR}. The public key is the worker's
 * identity on the network (its DHT and RPC key; for Auth also the key that verifies session tokens). Immutable.
 *
 * @param type the worker type (auth, gateway, processor)
 * @param instance the instance id
 * @param publicKey the public key, 64 lowercase hex characters
 * @param opsPort the ops endpoint's port on 127.0.0.1, when it has one
 * @param store the worker's store directory
 */
public record ReadyLine(String type, String instance, String publicKey, OptionalInt opsPort, Path store) {
  private static final Pattern LINE = Pattern.compile(
      "([a-z]+)/([A-Za-z0-9._-]+) ready: public key ([0-9a-f]{64})(?:, ops http://127\\.0\\.0\\.1:(\\d{1,5}))?, "
          + "store (.+)");

  public ReadyLine {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(opsPort, "opsPort");
    Objects.requireNonNull(store, "store");
    if (publicKey == null || !publicKey.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("public key must be 64 lowercase hex characters");
    }
  }

  /** The line as printed. */
  public String format() {
    return type + "/" + instance + " ready: public key " + publicKey
        + (opsPort.isPresent() ? ", ops http://127.0.0.1:" + opsPort.getAsInt() : "") + ", store " + store;
  }

  /** The ready line {@code line} is, if it is one. */
  public static Optional<ReadyLine> parse(String line) {
    Matcher m = LINE.matcher(line);
    if (!m.matches()) {
      return Optional.empty();
    }
    OptionalInt ops = m.group(4) == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(m.group(4)));
    return Optional.of(new ReadyLine(m.group(1), m.group(2), m.group(3), ops, Path.of(m.group(5))));
  }

  /** The public key as bytes. */
  public byte[] publicKeyBytes() {
    return HexFormat.of().parseHex(publicKey);
  }

  /** "type/instance", as in log lines. */
  public String label() {
    return type + "/" + instance;
  }
}
