package io.hyperinfer.worker.fs;

import io.hyperinfer.worker.WorkerException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files only their owner may read: private keys, seeds and credentials are written 0600 in folders made 0700, created
 * with those modes (never created open and tightened after). A key file or folder found open to other users is
 * <em>fixed</em>: its mode is tightened and a warning names it; when that fails (another owner, a read-only file
 * system) it is refused with {@link WorkerException.Code#UNSAFE_FILE}. On file systems without POSIX modes nothing is
 * checked. Stateless and thread-safe.
 */
public final class PrivateFiles {
  /** rw------- */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  /** rwx------ */
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);
  private static final Set<PosixFilePermission> OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  /**
   * Creates {@code dir} and any missing parents 0700 and makes {@code dir} itself private if it already existed open
   * to others. I/O failures are thrown as they are, so callers can name what they were creating.
   */
  public static Path createDirectories(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (!Files.isDirectory(absolute)) {
      Path parent = absolute.getParent();
      if (parent != null && !Files.isDirectory(parent)) {
        createDirectories(parent);
      }
      try {
        Files.createDirectory(absolute, attributes(absolute.getParent(), DIRECTORY));
      } catch (java.nio.file.FileAlreadyExistsException raced) {
        if (!Files.isDirectory(absolute)) {
          throw raced;
        }
      }
    }
    ensurePrivate(absolute);
    return dir;
  }

  /**
   * Writes {@code bytes} to {@code file} atomically (a 0600 temp file in the same folder, flushed to disk, then renamed
   * over it) in a private folder; a crash leaves the old content or the new, never part of it.
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", attributes(dir, FILE));
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /** Reads a private file, tightening its mode first if others may read it; refuses one that cannot be tightened. */
  public static byte[] read(Path file) throws IOException {
    ensurePrivate(file);
    return Files.readAllBytes(file);
  }

  /**
   * Makes an existing file 0600 (a folder 0700) when group or others have any access, logging a warning that names
   * it; {@link WorkerException.Code#UNSAFE_FILE} when the mode cannot be changed. A missing file is left alone.
   */
  public static void ensurePrivate(Path path) {
    Set<PosixFilePermission> mode;
    try {
      if (!isPosix(path) || !Files.exists(path)) {
        return;
      }
      mode = Files.getPosixFilePermissions(path);
    } catch (IOException e) {
      throw unsafe(path, e);
    }
    if (mode.stream().noneMatch(OTHERS::contains)) {
      return;
    }
    boolean dir = Files.isDirectory(path);
    try {
      Files.setPosixFilePermissions(path, dir ? DIRECTORY : FILE);
    } catch (IOException | SecurityException e) {
      throw unsafe(path, e);
    }
    if (dir && isEmpty(path)) {
      LOG.debug("{} was open to other users ({}); made it 0700 before anything was written in it", path,
          PosixFilePermissions.toString(mode));
      return;
    }
    LOG.warn("{} was open to other users ({}); made it {} (if other users could read it, treat its secrets as exposed)",
        path, PosixFilePermissions.toString(mode), dir ? "0700" : "0600");
  }

  /** Whether others (group or world) have any access to {@code path}; false where there are no POSIX modes. */
  public static boolean isOpenToOthers(Path path) throws IOException {
    return isPosix(path) && Files.getPosixFilePermissions(path).stream().anyMatch(OTHERS::contains);
  }

  private static boolean isEmpty(Path dir) {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  private static WorkerException unsafe(Path path, Exception cause) {
    return new WorkerException(WorkerException.Code.UNSAFE_FILE, path + " is open to other users and cannot be made"
        + " private (" + cause.getMessage() + "): run 'chmod go-rwx " + path + "' as its owner", cause);
  }

  private static boolean isPosix(Path path) {
    return path.getFileSystem().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<?>[] attributes(Path dir, Set<PosixFilePermission> mode) {
    return dir != null && isPosix(dir) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
        : new FileAttribute<?>[0];
  }
}
