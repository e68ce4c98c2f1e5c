package io.hyperinfer.worker.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hyperinfer.worker.WorkerException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {
  @TempDir
  Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void shouldCreateOwnerOnlyFileInOwnerOnlyFoldersWhenWriting() throws Exception {
    Path file = dir.resolve("a/b/seed");
    PrivateFiles.write(file, new byte[] {1, 2, 3});
    assertArrayEquals(new byte[] {1, 2, 3}, PrivateFiles.read(file));
    assertEquals("rw-------", mode(file));
    assertEquals("rwx------", mode(dir.resolve("a")));
    assertEquals("rwx------", mode(dir.resolve("a/b")));
    PrivateFiles.write(file, "new".getBytes(StandardCharsets.UTF_8));
    assertEquals("new", Files.readString(file));
    assertEquals("rw-------", mode(file));
    try (var left = Files.list(dir.resolve("a/b"))) {
      assertEquals(1, left.count(), "no temp file is left behind");
    }
  }

  @Test
  void shouldTightenModeWhenKeyFileOrFolderIsOpenToOthers() throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"), PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString("rwxr-xr-x")));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path key = shared.resolve("primary-key");
    Files.write(key, new byte[32]);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
    assertTrue(PrivateFiles.isOpenToOthers(key));

    assertEquals(32, PrivateFiles.read(key).length);
    assertEquals("rw-------", mode(key));
    PrivateFiles.createDirectories(shared);
    assertEquals("rwx------", mode(shared));
    assertFalse(PrivateFiles.isOpenToOthers(key));
    PrivateFiles.ensurePrivate(dir.resolve("absent"));
  }

  @Test
  void shouldRefuseWhenOpenFileCannotBeMadePrivate() {
    Path procFile = Path.of("/proc/self/status");
    assumeTrue(Files.isReadable(procFile), "needs Linux /proc, whose files no one can chmod");
    WorkerException e = assertThrows(WorkerException.class, () -> PrivateFiles.ensurePrivate(procFile));
    assertEquals(WorkerException.Code.UNSAFE_FILE, e.code());
    assertTrue(e.getMessage().startsWith("/proc/self/status is open to other users and cannot be made private"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("run 'chmod go-rwx /proc/self/status' as its owner"), e.getMessage());
    assertTrue(WorkerException.expected(new RuntimeException(e)).isPresent());
  }

  @Test
  void shouldFailWithTheIoErrorWhenAFileBlocksTheFolder() throws Exception {
    Path blocker = Files.writeString(dir.resolve("file"), "x");
    assertThrows(java.io.IOException.class, () -> PrivateFiles.createDirectories(blocker.resolve("sub")));
    assertThrows(java.io.IOException.class, () -> PrivateFiles.createDirectories(blocker));
  }

  @Test
  void shouldWarnOnlyWhenSomethingInsideMayHaveBeenReadWhenTightening() throws Exception {
    ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
        PrivateFiles.class);
    var events = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    events.start();
    logger.addAppender(events);
    try {
      Path empty = Files.createDirectory(dir.resolve("empty"));
      Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rwxr-xr-x"));
      PrivateFiles.ensurePrivate(empty);
      assertEquals("rwx------", mode(empty));
      assertTrue(events.list.stream().noneMatch(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN));

      Path full = Files.createDirectory(dir.resolve("full"));
      Files.writeString(full.resolve("LOG"), "x");
      Files.setPosixFilePermissions(full, PosixFilePermissions.fromString("rwxr-x---"));
      PrivateFiles.ensurePrivate(full);
      assertEquals(1, events.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
          && e.getFormattedMessage().startsWith(full + " was open to other users (rwxr-x---); made it 0700")).count());
    } finally {
      logger.detachAppender(events);
    }
  }
}
