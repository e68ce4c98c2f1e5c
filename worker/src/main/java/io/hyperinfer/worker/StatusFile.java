package io.hyperinfer.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hyperinfer.crypto.KeyPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * Writes {@code status.json}: who the worker is, its public keys and, when its ops endpoint is up, {@code opsPort} (the
 * bound port, which config may leave to the system with port 0), for operators and launchers.
 */
public final class StatusFile {
  private StatusFile() {}

  /** Writes atomically (temp file then move) so readers never see half a file. */
  public static void write(Path file, WorkerContext ctx, KeyPair identity, byte[] rpcPublicKey, Instant startedAt,
      OptionalInt opsPort) {
    ObjectNode status = Json.object();
    status.put("type", ctx.type());
    status.put("env", ctx.env());
    status.put("instanceId", ctx.instanceId());
    status.put("publicKey", identity.publicKeyHex());
    status.put("rpcPublicKey", java.util.HexFormat.of().formatHex(rpcPublicKey));
    status.put("startedAt", startedAt.toString());
    opsPort.ifPresent(port -> status.put("opsPort", port));
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "status", ".tmp");
      Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(status));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw WorkerException.ioFailure("cannot write status file " + file, e);
    }
  }

  /** Reads a status file back. */
  public static ObjectNode read(Path file) {
    try {
      return (ObjectNode) Json.parse(Files.readAllBytes(file));
    } catch (IOException e) {
      throw WorkerException.ioFailure("cannot read status file " + file, e);
    }
  }
}
