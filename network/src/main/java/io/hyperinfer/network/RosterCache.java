package io.hyperinfer.network;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A worker's copy of the latest roster it accepted, so it starts with its network's members before the DHT answers.
 * The file is written as the worker's other private files are: created 0600 in a 0700 folder, written to a temporary
 * file, flushed and renamed over the old one, so a crash leaves the old roster or the new, never a mix. The content is
 * the signed roster's bytes, checked again when loaded: a file edited by hand, or by anyone who could write it, is
 * {@link NetworkException.Code#FORGED} or {@link NetworkException.Code#BAD_ROSTER}, never trusted. Thread-safe
 * (writes are serialised).
 */
public final class RosterCache {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final FileAttribute<?>[] FILE_MODE = POSIX
      ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
      : new FileAttribute<?>[0];
  private static final FileAttribute<?>[] DIR_MODE = POSIX
      ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
      : new FileAttribute<?>[0];

  private final Path file;

  public RosterCache(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  /**
   * The cached roster of {@code network}, empty when there is no file; BAD_ROSTER, FORGED (also for another network's
   * roster) or IO when the file cannot be trusted.
   */
  public Optional<SignedRoster> load(NetworkKey network) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new NetworkException(NetworkException.Code.IO, "cannot read roster cache " + file + ": " + e, e);
    }
    SignedRoster roster = SignedRoster.decode(bytes);
    if (!roster.verify(network.hex())) {
      throw new NetworkException(NetworkException.Code.FORGED, "roster cache " + file
          + " is not signed by network " + network.hex());
    }
    return Optional.of(roster);
  }

  /** Loads the cached roster into {@code book} (when there is one) and keeps the file in step with it from now on. */
  public Optional<RosterBook.Verdict> attach(RosterBook book) {
    Optional<RosterBook.Verdict> loaded = load(book.network()).map(book::offer);
    book.onChange(this::store);
    return loaded;
  }

  /** Replaces the cached roster atomically. */
  public synchronized void store(SignedRoster roster) {
    Path dir = file.getParent();
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, DIR_MODE);
      }
      Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", FILE_MODE);
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ByteBuffer bytes = ByteBuffer.wrap(roster.encode());
          while (bytes.hasRemaining()) {
            ch.write(bytes);
          }
          ch.force(true);
        }
        moveOver(tmp);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new NetworkException(NetworkException.Code.IO, "cannot write roster cache " + file + ": " + e, e);
    }
  }

  private void moveOver(Path tmp) throws IOException {
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
