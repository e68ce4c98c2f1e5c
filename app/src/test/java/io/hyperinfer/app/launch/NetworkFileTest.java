package io.hyperinfer.app.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hyperinfer.encoding.HostPort;
import io.hyperinfer.worker.fs.DataDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworkFileTest {
  @TempDir
  Path dir;

  @Test
  void shouldReadWhatItWroteAsAPrivateFileWhenUpRuns() throws Exception {
    DataDirs dirs = DataDirs.under(dir);
    NetworkFile file = new NetworkFile(List.of(new HostPort("127.0.0.1", 4000)), ProcessHandle.current().pid(),
        Instant.parse("2026-01-02T03:04:05Z"));
    file.write(dirs);
    assertEquals(Optional.of(file), NetworkFile.read(dirs));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(NetworkFile.path(dirs))));
    assertTrue(file.running());
    assertEquals("127.0.0.1:4000", file.address());
    file.deleteFrom(dirs);
    assertTrue(NetworkFile.read(dirs).isEmpty());
  }

  @Test
  void shouldLeaveAnotherRunsFileWhenDeleting() throws Exception {
    DataDirs dirs = DataDirs.under(dir);
    NetworkFile mine = new NetworkFile(List.of(new HostPort("127.0.0.1", 1)), 1, Instant.EPOCH);
    NetworkFile newer = new NetworkFile(List.of(new HostPort("127.0.0.1", 2)), 2, Instant.EPOCH);
    newer.write(dirs);
    mine.deleteFrom(dirs);
    assertEquals(Optional.of(newer), NetworkFile.read(dirs));
  }

  @Test
  void shouldIgnoreAnUnreadableFileWhenReading() throws Exception {
    DataDirs dirs = DataDirs.under(dir);
    Files.createDirectories(dirs.state());
    Files.writeString(NetworkFile.path(dirs), "{\"bootstrap\": [\"nonsense\"], \"pid\": 1}");
    assertTrue(NetworkFile.read(dirs).isEmpty());
    Files.writeString(NetworkFile.path(dirs), "not json");
    assertTrue(NetworkFile.read(dirs).isEmpty());
    assertFalse(new NetworkFile(List.of(new HostPort("127.0.0.1", 1)), Long.MAX_VALUE, Instant.EPOCH).running());
    assertThrows(IllegalArgumentException.class, () -> new NetworkFile(List.of(), 1, Instant.EPOCH));
  }
}
